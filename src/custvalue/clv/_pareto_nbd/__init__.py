"""The Pareto/NBD model (model, likelihood by quadrature, fit)."""
