"""Sphinx configuration for custvalue's documentation."""

from __future__ import annotations

import os

from custvalue import __version__

project = "custvalue"
author = "The custvalue developers"
copyright = "2026, The custvalue developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
]

# Intersphinx fetches inventories over the network, which would make an
# offline build (CI here) fail with -W; it is switched on only on request.
if os.environ.get("CUSTVALUE_DOCS_INTERSPHINX"):
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "scipy": ("https://docs.scipy.org/doc/scipy", None),
    }

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
exclude_patterns = ["_build"]
templates_path = ["_templates"]
html_static_path = ["_static"]

autosummary_generate = True
autodoc_typehints = "none"
autodoc_default_options = {"members": True, "inherited-members": "BaseException,object"}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
default_role = "code"

html_theme = "pydata_sphinx_theme"
html_title = f"custvalue {version}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
