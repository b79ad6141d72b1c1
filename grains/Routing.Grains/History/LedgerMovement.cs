namespace Routing.Grains.History;

/// <summary>What moved stock at a distributor.</summary>
public enum MovementKind
{
    /// <summary>Stock arrived: on hand set higher.</summary>
    Receive,
    /// <summary>An order reserved units.</summary>
    Reserve,
    /// <summary>A reservation was given back (cancelled, failed placement, expired, campaign did not form).</summary>
    Release,
    /// <summary>Reserved units left the warehouse: on hand and reserved both drop.</summary>
    Ship,
    /// <summary>On hand set by hand, or corrected by a stocktake: up or down.</summary>
    Adjust,
    /// <summary>Goods came back from a customer (all of them, damaged too): on hand up.</summary>
    Return,
    /// <summary>Returned goods found damaged: on hand down by them.</summary>
    WriteOff,
    /// <summary>A transfer left for another distributor: on hand and the transfer's hold (reserved) both drop.</summary>
    TransferOut,
    /// <summary>A transfer arrived from another distributor: on hand up by what was received.</summary>
    TransferIn,
    /// <summary>SAP's stock snapshot corrected on hand (SAP wins): up or down, never below reserved.</summary>
    ErpAdjust,
}

/// <summary>One stock movement of one SKU at one distributor. <see cref="Seq"/> numbers a distributor's movements
/// without gaps, so (distributor, seq) is the natural key of a ledger row.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerMovement(
    [property: Id(0)] string DistributorId,
    [property: Id(1)] long Seq,
    [property: Id(2)] MovementKind Kind,
    [property: Id(3)] string Sku,
    [property: Id(4)] int Quantity,
    [property: Id(5)] int OnHandBefore,
    [property: Id(6)] int OnHandAfter,
    [property: Id(7)] int ReservedBefore,
    [property: Id(8)] int ReservedAfter,
    [property: Id(9)] string? OrderId,
    [property: Id(10)] string Cause,
    [property: Id(11)] DateTimeOffset At);
