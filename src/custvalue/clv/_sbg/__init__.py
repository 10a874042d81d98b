"""The shifted-beta-geometric model (model, likelihood, fit)."""
