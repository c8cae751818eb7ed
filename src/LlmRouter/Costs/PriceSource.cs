namespace LlmRouter;

/// <summary>Where a <see cref="ModelPrice"/> came from.</summary>
public enum PriceSource
{
    /// <summary>LlmRouter's built-in catalog (see <see cref="PriceCatalog"/>); <see cref="ModelPrice.CatalogVersion"/> names its version.</summary>
    Catalog,

    /// <summary>An entry of the <c>Prices</c> configuration section.</summary>
    Configuration,
}
