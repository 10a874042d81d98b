"""The MBG/NBD model of Batislam, Denizel & Filiztekin (2007)."""

from __future__ import annotations

from typing import ClassVar

import attrs
import numpy.typing as npt

from custvalue.clv._beta_geometric import BetaGeometricModel, fit_beta_geometric
from custvalue.clv._fit import Fit

__all__ = ["MBGNBD", "fit_mbgnbd"]


@attrs.frozen(kw_only=True)
class MBGNBD(BetaGeometricModel):
    r"""The modified BG/NBD (MBG/NBD) model.

    Like :class:`BGNBD`, a model of repeat buying in a non-contractual,
    continuous-time setting, except that a customer may also drop out right
    after the *first* purchase. One-time buyers are therefore not certainly
    alive, which the BG/NBD model assumes and which makes it overstate the
    activity of customers who never came back.

    Parameters
    ----------
    r, alpha : float
        Shape and scale (in the data's time unit) of the gamma distribution
        of purchase rates; the mean rate is ``r / alpha``.
    a, b : float
        Shapes of the beta distribution of the drop-out probability that
        follows every purchase, the first one included.

    Raises
    ------
    ValueError
        If a parameter is not a finite number > 0.

    See Also
    --------
    fit_mbgnbd : Maximum-likelihood estimation.
    BGNBD : The model without drop-out at the first purchase.

    Notes
    -----
    A customer with :math:`x` repeat purchases has had :math:`x + 1`
    chances to drop out, so the likelihood is (Batislam et al. 2007, eq. 6,
    with the correction of Wagner & Hoppe 2008)

    .. math::

        L = \frac{B(a, b+x+1)}{B(a, b)} \frac{\Gamma(r+x)\alpha^r}{\Gamma(r)}
            \left[(\alpha+T)^{-(r+x)} + \frac{a}{b+x}(\alpha+t_x)^{-(r+x)}\right]

    and the probability of being alive is
    :math:`\pi = [1 + \frac{a}{b+x}(\frac{\alpha+T}{\alpha+t_x})^{r+x}]^{-1}`
    for every customer, one-time buyers included. An alive customer's future
    is a BG/NBD process with parameters :math:`(r+x, \alpha+T, a, b+x+1)`,
    and a new customer is alive after the first purchase with probability
    :math:`b/(a+b)`; all predictions follow from these two facts, as for
    :class:`BGNBD`.

    References
    ----------
    .. [1] Batislam, E. P., Denizel, M., & Filiztekin, A. (2007). Empirical
       validation and comparison of models for customer base analysis.
       International Journal of Research in Marketing, 24(3), 201-209.
    .. [2] Wagner, U., & Hoppe, D. (2008). Erratum on the MBG/NBD model.
       International Journal of Research in Marketing, 25(3), 225-226.

    Examples
    --------
    The maximum-likelihood estimates on the CDNOW calibration summary (as
    computed by the R package BTYDplus):

    >>> from custvalue.clv import MBGNBD
    >>> model = MBGNBD(r=0.525, alpha=6.183, a=0.891, b=1.614)
    >>> model.probability_alive(frequency=[0, 2], recency=[0.0, 30.43], T=38.86)
    array([0.390, 0.706])
    """

    _shift: ClassVar[int] = 1


def fit_mbgnbd(
    frequency: npt.ArrayLike,
    recency: npt.ArrayLike,
    T: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    penalizer: float = 0.0,
) -> Fit[MBGNBD]:
    """Fit the MBG/NBD model by maximum likelihood.

    The same procedure as :func:`fit_bgnbd`: identical customers are
    compressed into weighted patterns, and the log-likelihood is maximized
    over log-parameters by a trust-region Newton method with its exact
    gradient and Hessian.

    Parameters
    ----------
    frequency : array-like of int, shape (n_customers,)
        Repeat purchases.
    recency : array-like of float, shape (n_customers,)
        Time of the last purchase since the first (0 when frequency is 0).
    T : array-like of float, shape (n_customers,)
        Time observed since the first purchase.
    weights : array-like of float, shape (n_customers,), optional
        Number of customers each row stands for (> 0).
    penalizer : float, default=0.0
        L2 penalty on the parameters, as in :func:`fit_bgnbd`.

    Returns
    -------
    Fit[MBGNBD]

    Raises
    ------
    ValueError
        For invalid data.
    ConvergenceError
        If no trustworthy maximum is found.

    See Also
    --------
    MBGNBD : The model and its predictions.

    Examples
    --------
    On the CDNOW calibration summary the estimates agree with those of the R
    package BTYDplus (r = 0.525, alpha = 6.183, a = 0.891, b = 1.614,
    LL = -9582.1):

    >>> from custvalue.clv import fit_mbgnbd
    >>> from custvalue.datasets import load_cdnow_summary
    >>> cdnow = load_cdnow_summary()
    >>> fit = fit_mbgnbd(cdnow.frequency, cdnow.recency, cdnow.T)
    >>> {k: round(v, 3) for k, v in fit.parameters.items()}
    {'r': 0.525, 'alpha': 6.183, 'a': 0.891, 'b': 1.614}
    >>> round(fit.log_likelihood, 1)
    -9582.1
    """
    return fit_beta_geometric(
        MBGNBD, frequency, recency, T, weights=weights, penalizer=penalizer
    )
