"""Share of wallet, penetration and the market-share decomposition."""

from __future__ import annotations

import attrs
import numpy.typing as npt

from custvalue._lib.fields import ARRAY_EQ, Result
from custvalue._lib.validation import (
    FloatArray,
    as_float_array,
    check_all,
    check_same_length,
    check_scalar,
    readonly,
)
from custvalue.evaluation._business._checks import count

__all__ = [
    "MarketShareDecomposition",
    "ShareOfWallet",
    "market_share",
    "penetration",
    "share_of_wallet",
]


def _share_array(value: npt.ArrayLike) -> FloatArray:
    return readonly(as_float_array(value, "individual"))


@attrs.frozen(kw_only=True)
class ShareOfWallet(Result):
    """Each customer's share of wallet and the aggregate share.

    Returned by :func:`share_of_wallet`; the array is read-only.

    Parameters
    ----------
    individual : ndarray of shape (n_customers,)
        Each customer's spend with the firm divided by their spend in the
        category, in [0, 1].
    aggregate : float
        Total spend with the firm divided by total category spend of the
        same customers: the spend-weighted share.

    Examples
    --------
    >>> from custvalue.evaluation import share_of_wallet
    >>> result = share_of_wallet([20.0, 50.0], [100.0, 50.0])
    >>> result.individual, round(result.aggregate, 4)
    (array([0.2, 1. ]), 0.4667)
    """

    individual: FloatArray = attrs.field(converter=_share_array, eq=ARRAY_EQ)
    aggregate: float = attrs.field(converter=float)

    @property
    def n_customers(self) -> int:
        """Number of customers."""
        return int(self.individual.size)

    @property
    def mean_individual(self) -> float:
        """Unweighted mean of the individual shares.

        Every customer counts once, whatever their category spend; it differs
        from :attr:`aggregate` when big spenders give the firm a smaller (or
        larger) share than small ones.
        """
        return float(self.individual.mean())


def share_of_wallet(
    spend: npt.ArrayLike, category_spend: npt.ArrayLike
) -> ShareOfWallet:
    r"""Share of each customer's category spending that goes to the firm.

    Share of wallet says how much of the business a customer could give the
    firm it actually gives: a customer who spends $20 of $100 with the firm
    has a share of wallet of 20%. This function gives each customer's share
    and the aggregate share of the group.

    Parameters
    ----------
    spend : array-like of shape (n_customers,)
        Each customer's spend with the firm, >= 0.
    category_spend : array-like of shape (n_customers,)
        Each customer's total spend in the category (with the firm and its
        competitors), > 0 and >= ``spend``.

    Returns
    -------
    ShareOfWallet
        ``individual`` shares, their ``aggregate`` and ``mean_individual``.

    Raises
    ------
    ValueError
        If a customer's category spend is 0 (their share is undefined: drop
        customers with no category spend, they are not in the market), a
        spend exceeds its category spend, a value is negative or missing, or
        the lengths differ.

    See Also
    --------
    market_share : The market-level counterpart, with its decomposition.

    Notes
    -----
    For customer :math:`i` with spend :math:`s_i` with the firm and
    :math:`S_i` in the category,

    .. math::

        \text{SOW}_i = \frac{s_i}{S_i}, \qquad
        \text{SOW}_{\text{aggregate}} = \frac{\sum_i s_i}{\sum_i S_i}
        = \sum_i \frac{S_i}{\sum_j S_j}\,\text{SOW}_i .

    The aggregate is the category-spend-weighted mean of the individual
    shares (Du, Kamakura & Mela 2007); among the firm's own buyers it is the
    share of requirements of Farris et al. (2010, section 2.5).

    References
    ----------
    .. [1] Du, R. Y., Kamakura, W. A., & Mela, C. F. (2007). Size and share
       of customer wallet. Journal of Marketing, 71(2), 94-113.
    .. [2] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics (2nd ed.). Pearson/FT Press, section 2.5.

    Examples
    --------
    Three customers spend $100, $50 and $40 in the category, of which $20,
    $50 and $0 with us:

    >>> from custvalue.evaluation import share_of_wallet
    >>> result = share_of_wallet([20, 50, 0], [100, 50, 40])
    >>> result.individual
    array([0.2, 1. , 0. ])
    >>> round(result.aggregate, 4), round(result.mean_individual, 4)
    (0.3684, 0.4)

    The aggregate (70 of 190 dollars) is below the mean of the shares because
    the biggest spender gives us the smallest share.
    """
    ours = as_float_array(spend, "spend", nonnegative=True)
    total = as_float_array(category_spend, "category_spend", nonnegative=True)
    check_same_length(spend=ours, category_spend=total)
    check_all(
        total > 0,
        "`category_spend` must be > 0 for every customer",
        {"category_spend": total},
        "A customer with no spend in the category has no wallet to share; "
        "leave such customers out.",
    )
    check_all(
        ours <= total,
        "`spend` must be <= `category_spend` for every customer",
        {"spend": ours, "category_spend": total},
        "Category spend includes the spend with the firm; check both cover "
        "the same period.",
    )
    return ShareOfWallet(
        individual=ours / total, aggregate=float(ours.sum() / total.sum())
    )


def penetration(buyers: int | float, population: int | float) -> float:
    r"""Share of a population who bought at least once in the period.

    Market penetration when ``buyers`` counts buyers of any brand in the
    category; brand penetration when it counts buyers of the firm's brand.

    Parameters
    ----------
    buyers : int
        People (or households, or firms) who bought, >= 0.
    population : int
        Size of the population they belong to, > 0 and >= ``buyers``.

    Returns
    -------
    float
        ``buyers / population``, in [0, 1].

    Raises
    ------
    ValueError
        If ``population`` is 0 (penetration of an empty population is
        undefined) or smaller than ``buyers``, or a count is negative or
        fractional.

    See Also
    --------
    market_share : Penetration share in the market-share decomposition.

    Notes
    -----
    .. math::

        \text{penetration} = \frac{\text{buyers}}{\text{population}}

    (Farris et al. 2010, section 2.4).

    References
    ----------
    .. [1] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics (2nd ed.). Pearson/FT Press, section 2.4.

    Examples
    --------
    2,000 of a town's 100,000 households bought our brand:

    >>> from custvalue.evaluation import penetration
    >>> penetration(2_000, 100_000)
    0.02
    """
    bought = count(buyers, "buyers")
    size = count(population, "population")
    if size == 0:
        msg = (
            "`population` must be > 0; got 0. Penetration is a share of a "
            "population, undefined for an empty one."
        )
        raise ValueError(msg)
    if bought > size:
        msg = (
            f"`buyers` must be <= `population`; got buyers={buyers!r}, "
            f"population={population!r}. Check both count the same units "
            "(people or households)."
        )
        raise ValueError(msg)
    return bought / size


@attrs.frozen(kw_only=True)
class MarketShareDecomposition(Result):
    """Market share and its three factors.

    Returned by :func:`market_share`. The identity
    ``market_share == penetration_share * share_of_requirements *
    heavy_usage_index`` holds up to rounding.

    Parameters
    ----------
    market_share : float
        Brand sales divided by category sales.
    penetration_share : float
        Brand buyers divided by category buyers.
    share_of_requirements : float
        Brand sales divided by the category purchases of brand buyers.
    heavy_usage_index : float
        Category purchases per brand buyer divided by category purchases per
        category buyer; above 1 when the brand's buyers are heavy users.

    Examples
    --------
    >>> from custvalue.evaluation import market_share
    >>> parts = market_share(
    ...     brand_sales=6_000, category_sales=50_000,
    ...     brand_buyers=2_000, category_buyers=10_000,
    ...     category_sales_to_brand_buyers=15_000,
    ... )
    >>> parts.market_share
    0.12
    """

    market_share: float = attrs.field(converter=float)
    penetration_share: float = attrs.field(converter=float)
    share_of_requirements: float = attrs.field(converter=float)
    heavy_usage_index: float = attrs.field(converter=float)


def market_share(
    *,
    brand_sales: float,
    category_sales: float,
    brand_buyers: int | float,
    category_buyers: int | float,
    category_sales_to_brand_buyers: float,
) -> MarketShareDecomposition:
    r"""Market share and its decomposition into penetration, requirements and usage.

    A brand's share of the market can grow because more of the category's
    buyers buy it (penetration share), because its buyers give it more of
    their category purchases (share of requirements), or because its buyers
    are heavy users of the category (heavy usage index). This function
    computes the share and the three factors whose product it is.

    Parameters
    ----------
    brand_sales : float
        The brand's sales in the period, >= 0 (units or money; use the same
        measure for every sales argument).
    category_sales : float
        Sales of the whole category (all brands), > 0.
    brand_buyers : int
        Buyers of the brand, > 0.
    category_buyers : int
        Buyers of any brand in the category, >= ``brand_buyers``.
    category_sales_to_brand_buyers : float
        Category sales (all brands) to the brand's buyers, between
        ``brand_sales`` and ``category_sales``.

    Returns
    -------
    MarketShareDecomposition

    Raises
    ------
    ValueError
        If ``brand_buyers`` is 0 (share of requirements and heavy usage are
        averages over the brand's buyers, undefined without any), category
        sales are 0, the inputs are not nested as described, or a value is
        negative or not finite.

    See Also
    --------
    penetration : Buyers as a share of the population.
    share_of_wallet : Shares of individual customers.

    Notes
    -----
    With brand sales :math:`B`, category sales :math:`C`, brand buyers
    :math:`n_B`, category buyers :math:`n_C` and category sales to brand
    buyers :math:`C_B`:

    .. math::

        \underbrace{\frac{B}{C}}_{\text{market share}}
        = \underbrace{\frac{n_B}{n_C}}_{\text{penetration share}}
        \times \underbrace{\frac{B}{C_B}}_{\text{share of requirements}}
        \times \underbrace{\frac{C_B/n_B}{C/n_C}}_{\text{heavy usage index}}

    (Parfitt & Collins 1968; Farris et al. 2010, sections 2.1 and 2.4-2.6).
    The decomposition is an identity: the factors multiply back to the
    share exactly, up to floating-point rounding.

    References
    ----------
    .. [1] Parfitt, J. H., & Collins, B. J. K. (1968). Use of consumer
       panels for brand-share prediction. Journal of Marketing Research,
       5(2), 131-145.
    .. [2] Farris, P. W., Bendle, N. T., Pfeifer, P. E., & Reibstein, D. J.
       (2010). Marketing Metrics (2nd ed.). Pearson/FT Press, chapter 2.

    Examples
    --------
    10,000 households buy in the category, 50,000 units in all; 2,000 of
    them buy our brand, 6,000 units of it, out of the 15,000 units of the
    category they buy:

    >>> from custvalue.evaluation import market_share
    >>> parts = market_share(
    ...     brand_sales=6_000, category_sales=50_000,
    ...     brand_buyers=2_000, category_buyers=10_000,
    ...     category_sales_to_brand_buyers=15_000,
    ... )
    >>> parts.market_share, parts.penetration_share
    (0.12, 0.2)
    >>> parts.share_of_requirements, parts.heavy_usage_index
    (0.4, 1.5)

    A 12% share: one household in five buys the brand, they give it 40% of
    their purchases, and they buy 1.5 times as much as the average buyer.
    """
    b = check_scalar(brand_sales, "brand_sales", nonnegative=True)
    c = check_scalar(category_sales, "category_sales", nonnegative=True)
    c_b = check_scalar(
        category_sales_to_brand_buyers,
        "category_sales_to_brand_buyers",
        nonnegative=True,
    )
    n_b = count(brand_buyers, "brand_buyers")
    n_c = count(category_buyers, "category_buyers")
    if n_b == 0:
        msg = (
            "`brand_buyers` must be > 0; got 0. Share of requirements and the "
            "heavy usage index are averages over the brand's buyers, so the "
            "decomposition is undefined without any (the market share is 0)."
        )
        raise ValueError(msg)
    if c == 0.0:
        msg = "`category_sales` must be > 0; got 0. A share of no sales is undefined."
        raise ValueError(msg)
    if n_b > n_c:
        msg = (
            f"`brand_buyers` must be <= `category_buyers`; got {brand_buyers!r} "
            f"> {category_buyers!r}. Brand buyers are category buyers too."
        )
        raise ValueError(msg)
    if not b <= c_b <= c:
        msg = (
            "`brand_sales` <= `category_sales_to_brand_buyers` <= "
            f"`category_sales` must hold; got {brand_sales!r}, "
            f"{category_sales_to_brand_buyers!r}, {category_sales!r}. The "
            "brand's buyers buy the brand and other brands, and are part of "
            "the category."
        )
        raise ValueError(msg)
    if c_b == 0.0:
        msg = (
            "`category_sales_to_brand_buyers` must be > 0 when there are brand "
            "buyers; got 0. Buyers of the brand bought something in the category."
        )
        raise ValueError(msg)
    return MarketShareDecomposition(
        market_share=b / c,
        penetration_share=n_b / n_c,
        share_of_requirements=b / c_b,
        heavy_usage_index=(c_b / n_b) / (c / n_c),
    )
