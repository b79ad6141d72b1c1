using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Routing.Bench.Micro.RouterBenchmarks).Assembly).Run(args);
