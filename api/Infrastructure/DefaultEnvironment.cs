namespace Routing.Api.Infrastructure;

/// <summary>Which environment a host runs in when nobody said: Production, the safe default, unless
/// <see cref="Variable"/> names another. The launch profile sets that variable (not ASPNETCORE_ENVIRONMENT, which
/// would override the shell's), so <c>dotnet run --project api</c> is the Development embedded default while
/// <c>ASPNETCORE_ENVIRONMENT=Production dotnet run --project api</c> and a deployed <c>dotnet Routing.Api.dll</c> are
/// Production.</summary>
public static class DefaultEnvironment
{
    public const string Variable = "ROUTING_DEFAULT_ENVIRONMENT";

    /// <summary>Call before the host builder reads its settings.</summary>
    public static void Apply()
    {
        if (IsSet("ASPNETCORE_ENVIRONMENT") || IsSet("DOTNET_ENVIRONMENT") || !IsSet(Variable)) return;
        // The lowest-precedence source of the environment name: the command line's --environment still wins.
        Environment.SetEnvironmentVariable("DOTNET_ENVIRONMENT", Environment.GetEnvironmentVariable(Variable));
    }

    private static bool IsSet(string variable) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable));
}
