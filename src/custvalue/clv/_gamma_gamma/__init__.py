"""The Gamma-Gamma spend model (model, likelihood, fit)."""
