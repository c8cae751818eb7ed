using System.Collections.Frozen;

namespace LlmRouter;

/// <summary>
/// A <see cref="PiiPolicyOptions"/> compiled for the hot path: for each region, the kinds to redact and the kinds to
/// block, as bit masks of <see cref="PiiKind"/>.
/// </summary>
internal sealed class PiiPolicy
{
    private readonly FrozenDictionary<string, (int Redact, int Block)> _regions;
    private readonly (int Redact, int Block) _default;

    private PiiPolicy(FrozenDictionary<string, (int Redact, int Block)> regions, (int Redact, int Block) defaults, int blockEverywhere, bool restoreInResponse)
    {
        _regions = regions;
        _default = defaults;
        BlockEverywhere = blockEverywhere;
        RestoreInResponse = restoreInResponse;
    }

    /// <summary>Gets the kinds blocked in every region.</summary>
    public int BlockEverywhere { get; }

    public bool RestoreInResponse { get; }

    /// <summary>Compiles validated options.</summary>
    public static PiiPolicy Compile(PiiPolicyOptions options)
    {
        int kindRedact = 0;
        int kindBlock = 0;
        foreach ((string name, PiiAction action) in options.Kinds)
        {
            if (PiiKindInfo.TryParse(name, out PiiKind kind))
            {
                kindRedact |= action == PiiAction.Redact ? PiiKindInfo.Bit(kind) : 0;
                kindBlock |= action == PiiAction.Block ? PiiKindInfo.Bit(kind) : 0;
            }
        }

        var regions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach ((string region, PiiAction action) in options.Regions)
        {
            regions[region] = Masks(action, kindRedact, kindBlock);
        }

        (int Redact, int Block) defaults = Masks(options.Default, kindRedact, kindBlock);
        int blockEverywhere = defaults.Block;
        foreach ((int _, int block) in regions.Values)
        {
            blockEverywhere &= block;
        }

        return new PiiPolicy(regions.ToFrozenDictionary(StringComparer.Ordinal), defaults, blockEverywhere, options.RestoreInResponse);
    }

    /// <summary>Gets the kinds to replace with placeholders before sending to the region.</summary>
    public int RedactIn(string region) => For(region).Redact;

    /// <summary>Gets the kinds that must not be sent to the region.</summary>
    public int BlockIn(string region) => For(region).Block;

    private (int Redact, int Block) For(string region) => _regions.TryGetValue(region, out (int, int) masks) ? masks : _default;

    /// <summary>The stricter of the region's action and each kind's own action, as masks.</summary>
    private static (int Redact, int Block) Masks(PiiAction regionAction, int kindRedact, int kindBlock)
    {
        int block = regionAction == PiiAction.Block ? PiiKindInfo.All : kindBlock;
        int redact = regionAction == PiiAction.Redact ? PiiKindInfo.All : kindRedact;
        return (redact & ~block, block);
    }
}
