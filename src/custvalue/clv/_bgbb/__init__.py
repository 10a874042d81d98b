"""The BG/BB model (model, likelihood, fit)."""
