"""Array fields and the result protocol shared by every public result class.

Two pieces, both for ``@attrs.frozen(kw_only=True)`` classes:

- :func:`array_field` -- an attrs field that copies its value into a
  read-only array of one dtype and compares by value, NaN equal to NaN;
- :class:`Result` -- a mixin that gives a frozen class a one-line repr with
  its headline numbers, ``_repr_html_`` for notebooks, and ``to_dict`` /
  ``from_dict`` with one meaning everywhere.

``to_dict`` returns plain JSON-ready Python: str, int, float, bool, None,
lists and dicts. Arrays become (nested) lists, so a per-row result is a dict
of columns of equal length; nested results become nested dicts; tuples
become lists; ``datetime64`` values become ISO 8601 strings and
``timedelta64`` values numpy's own text (``"7 days"``, ``"90 minutes"``).
Non-finite
floats stay Python floats (``nan``, ``inf``): :func:`json.dumps` writes them
as ``NaN`` and ``Infinity`` (its default ``allow_nan=True``, an extension of
JSON that :func:`json.loads` reads back), so that
``type(x).from_dict(json.loads(json.dumps(x.to_dict()))) == x`` holds for
results that hold NaN. Strict JSON consumers need ``allow_nan=False`` and a
replacement of their own.

``from_dict`` reads such a dict back through the field types: lists become
arrays of the declared dtype, nested dicts become the declared result class,
lists become tuples where a tuple is declared, strings become
``datetime64`` or ``timedelta64`` where the hint declares one (also inside a
union such as :data:`~custvalue._lib.plain_time.TimePoint`, "a datetime or
a number", or :data:`~custvalue._lib.plain_time.TimeArray`). A class adopts all of it by
inheriting :class:`Result`; it may override :meth:`Result._headline` for its
repr.
"""

from __future__ import annotations

import enum
import functools
import html
import importlib
import math
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Literal, TypeAlias, TypeVar, cast

import attrs
import numpy as np
import numpy.typing as npt

from custvalue._lib.plain_time import (
    first_leaf,
    ndarray_scalar_type,
    nested,
    time_kind,
    timedelta_from_text,
    timedelta_to_text,
    timedeltas_from_text,
)
from custvalue._lib.validation import readonly

__all__ = [
    "ARRAY_EQ",
    "FLOAT_EQ",
    "FrameBackend",
    "Result",
    "array_field",
    "arrays_equal",
    "short_value",
]

_R = TypeVar("_R", bound="Result")

#: Longest repr the default headline aims for, in characters.
REPR_WIDTH = 120
#: Rows shown by ``_repr_html_`` for per-row results.
#: Longest tuple of scalars written out in an HTML cell.
HTML_ITEMS = 30
HTML_ROWS = 10
_DTYPE_KEY = "custvalue_dtype"
#: The column that keys a per-customer table (and the index for pandas).
KEY_COLUMN = "customer_id"

FrameBackend: TypeAlias = Literal["pandas", "polars", "pyarrow"]
"""The table libraries :meth:`Result.to_frame` builds tables of."""


def arrays_equal(left: Any, right: Any) -> bool:
    """Compare two array fields: same shape and values, NaN equal to NaN.

    Parameters
    ----------
    left, right : ndarray or None
        The values of one field on two objects; ``None`` (an optional field)
        equals only ``None``.

    Returns
    -------
    bool
        Whether they are equal.
    """
    if left is None or right is None:
        return left is None and right is None
    a, b = np.asarray(left), np.asarray(right)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "fc" and b.dtype.kind in "fc":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def _floats_equal(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (math.isnan(left) and math.isnan(right))
    return bool(left == right)


ARRAY_EQ = attrs.cmp_using(eq=arrays_equal)
"""attrs comparison for array fields: by value and shape, NaN equal to NaN."""

FLOAT_EQ = attrs.cmp_using(eq=_floats_equal)
"""attrs comparison for scalar float fields that may be NaN."""


def _array_converter(
    dtype: npt.DTypeLike | None, *, optional: bool
) -> Callable[[Any], npt.NDArray[Any] | None]:
    def convert(value: Any) -> npt.NDArray[Any] | None:
        if value is None and optional:
            return None
        return readonly(np.array(value, dtype=dtype, copy=True))

    return convert


def array_field(
    *,
    dtype: npt.DTypeLike | None = None,
    optional: bool = False,
    converter: Callable[[Any], Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Return an attrs field for a read-only array compared by value.

    The value is copied into an array of ``dtype`` (or the dtype numpy
    infers, when ``dtype`` is None) and made read-only; two objects compare
    equal when the arrays have one shape and equal values, NaN equal to NaN.

    Parameters
    ----------
    dtype : data-type, default=None
        The dtype of the stored array; also what :meth:`Result.from_dict`
        converts lists to.
    optional : bool, default=False
        Whether ``None`` is allowed (and stored as ``None``).
    converter : callable, default=None
        A converter of the class's own (with its own checks and messages),
        used instead of the plain copy; it must return a read-only array.
    **kwargs
        Passed to :func:`attrs.field` (``default``, ``validator``, ...).

    Returns
    -------
    attrs field
        To be assigned to an annotated class attribute.
    """
    convert = converter or _array_converter(dtype, optional=optional)
    metadata = {**kwargs.pop("metadata", {}), _DTYPE_KEY: dtype}
    return attrs.field(converter=convert, eq=ARRAY_EQ, metadata=metadata, **kwargs)


# ---------------------------------------------------------------- to plain data


def to_plain(value: Any) -> Any:
    """Convert ``value`` to JSON-ready Python (see the module docstring)."""
    if isinstance(value, np.generic) and not isinstance(
        value, np.datetime64 | np.timedelta64
    ):
        return value.item()  # np.float64 is a float too, but not plain
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return to_plain(value.value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "M":
            return np.datetime_as_string(value).tolist()
        if value.dtype.kind == "m":
            return nested(value, timedelta_to_text)
        if value.dtype.kind == "O":
            return [to_plain(v) for v in value.tolist()]
        return value.tolist()
    if isinstance(value, np.datetime64):
        return str(np.datetime_as_string(value))
    if isinstance(value, np.timedelta64):
        return timedelta_to_text(value)
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if attrs.has(type(value)):
        return {
            f.name: to_plain(getattr(value, f.name)) for f in attrs.fields(type(value))
        }
    msg = f"cannot convert a {type(value).__name__} to plain data; got {value!r}."
    raise TypeError(msg)


# -------------------------------------------------------------- from plain data


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    try:  # each class's annotations resolve in its own module's namespace
        return typing.get_type_hints(cls)
    except (NameError, TypeError):  # a name only imported under TYPE_CHECKING
        return {}


def from_plain(value: Any, hint: Any, dtype: Any = None) -> Any:
    """Convert plain data back to the type ``hint`` declares (see the module)."""
    hint = getattr(hint, "__value__", hint)  # a PEP 695 type alias
    origin = typing.get_origin(hint)
    if value is None:
        return None
    if origin is typing.Union or origin is types.UnionType:
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        for option in options:
            if isinstance(value, Mapping) and _is_class(option):
                return from_plain(value, option)
        if isinstance(first_leaf(value), str):
            for option in options:
                if time_kind(option) is not None:
                    return from_plain(value, option, dtype)
        # a list that is not of strings is numbers: prefer a non-time array
        for option in sorted(options, key=lambda o: time_kind(o) is not None):
            if isinstance(value, list) and typing.get_origin(option) in (
                tuple,
                np.ndarray,
            ):
                return from_plain(value, option, dtype)
        return value
    if origin is tuple and isinstance(value, list):
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(v, args[0]) for v in value)
        return tuple(from_plain(v, a) for v, a in zip(value, args, strict=False))
    if origin is np.ndarray and isinstance(value, list):
        target = dtype or ndarray_scalar_type(hint)
        if target is not None and np.dtype(target).kind == "m":
            return timedeltas_from_text(value, target)
        return np.asarray(value, dtype=target)
    if hint is np.datetime64 and isinstance(value, str):
        return np.datetime64(value)
    if hint is np.timedelta64 and isinstance(value, str):
        return timedelta_from_text(value)
    if _is_class(hint) and isinstance(value, Mapping):
        if issubclass(hint, Result):
            return hint.from_dict(value)
        return hint(**value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _fields(cls: Any) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(attrs.fields(cls))


def _is_class(hint: Any) -> bool:
    return isinstance(hint, type) and attrs.has(hint)


# ------------------------------------------------------------------- the mixin


def _cell(value: Any) -> str:
    """Format one value for an HTML cell.

    Like :func:`_short`, but short tuples of names or numbers (segment
    names, labels) are written out.
    """
    if (
        isinstance(value, tuple | list)
        and 3 < len(value) <= HTML_ITEMS
        and all(isinstance(v, str | int | float | np.generic) for v in value)
    ):
        return ", ".join(str(v) if isinstance(v, str) else _short(v) for v in value)
    return _short(value)


def _short(value: Any) -> str:
    """One value for a repr: numbers to 4 significant digits, arrays summarized."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, np.timedelta64):  # a numpy integer subclass
        return timedelta_to_text(value)
    if isinstance(value, np.datetime64):
        return str(value)
    if isinstance(value, float | np.floating):
        text = f"{float(value):.4g}"
        return text if any(c in text for c in ".enai") else f"{text}.0"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, str):
        return repr(str(value))  # str() drops numpy's np.str_(...) wrapper
    if isinstance(value, np.ndarray):
        return f"<{value.size} values>"
    if isinstance(value, tuple | list):
        if len(value) <= 3 and all(
            isinstance(v, int | float | str | tuple) for v in value
        ):
            inner = ", ".join(_short(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return f"<{len(value)} items>"
    if value is None:
        return "None"
    if attrs.has(type(value)):
        return f"{type(value).__name__}(...)"
    text = str(value)
    return text if len(text) <= 30 else f"<{type(value).__name__}>"


short_value = _short


def _columns(obj: Any) -> dict[str, npt.NDArray[Any]]:
    """Return the 1-D array fields of ``obj`` when they share one length.

    A class that declares its per-row fields in ``_row_fields`` gets those
    (the ones that are not None), whatever its other arrays are.
    """
    declared: tuple[str, ...] | None = getattr(type(obj), "_row_fields", None)
    if declared is not None:
        return {
            name: getattr(obj, name)
            for name in declared
            if getattr(obj, name) is not None
        }
    arrays = {
        f.name: getattr(obj, f.name)
        for f in attrs.fields(type(obj))
        if isinstance(getattr(obj, f.name), np.ndarray)
    }
    lengths = {a.shape for a in arrays.values()}
    if len(lengths) == 1 and len(next(iter(lengths))) == 1:
        return arrays
    return {}


def _fit(parts: list[str], width: int) -> str:
    text = ""
    for i, part in enumerate(parts):
        candidate = part if not text else f"{text}, {part}"
        if len(candidate) > width and i > 0:
            return f"{text}, ..."
        text = candidate
    return text


class Result:
    """Mixin for frozen result classes: short repr, HTML, ``to_dict``/``from_dict``.

    Inherit it in an ``@attrs.frozen(kw_only=True)`` class; nothing else is
    needed (attrs keeps the repr given here). Override :meth:`_headline` to
    choose what the repr shows.
    """

    __slots__ = ()

    #: The per-row fields, where the class says so (see :func:`_columns`).
    _row_fields: ClassVar[tuple[str, ...] | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # attrs writes its own __repr__ unless the class defines one itself,
        # so each subclass gets its own function object (an inherited one
        # does not count for attrs' auto-detection).
        if "__repr__" not in cls.__dict__:

            def __repr__(self: Result) -> str:
                try:
                    headline = self._headline()
                except (ArithmeticError, ValueError):  # a repr must not raise
                    headline = Result._headline(self)
                return f"{type(self).__name__}({headline})"

            cls.__repr__ = __repr__  # type: ignore[method-assign,assignment]

    def _headline(self) -> str:
        """Return what the repr shows between the parentheses.

        The default lists the scalar fields (floats to 4 significant digits)
        and summarizes arrays and long tuples by their size; a per-row
        result (1-D array columns of one length) shows its row count and
        column names. Classes override it to lead with their headline number.
        """
        columns = _columns(self)
        parts: list[str] = []
        if columns:
            n = len(next(iter(columns.values())))
            parts.append(f"{n} rows: " + ", ".join(columns))
            parts = [_fit(parts[0].split(", "), REPR_WIDTH - 40)]
        for field in _fields(type(self)):
            if field.name in columns or not field.repr:
                continue
            parts.append(f"{field.name}={_short(getattr(self, field.name))}")
        return _fit(parts, REPR_WIDTH - len(type(self).__name__) - 2)

    def _repr_html_(self) -> str:
        """Return a small HTML table for notebooks.

        The headline of the repr comes first (so computed numbers such as a
        score and its interval are shown), then scalars and short values one
        per row; a per-row result also shows its first rows (10) as a table
        of its columns.
        """
        name = html.escape(type(self).__name__)
        try:
            headline = self._headline()
        except (ArithmeticError, ValueError):  # a display must not raise
            headline = Result._headline(self)
        columns = _columns(self)
        rows = "".join(
            f"<tr><th>{html.escape(f.name)}</th>"
            f"<td>{html.escape(_cell(getattr(self, f.name)))}</td></tr>"
            for f in _fields(type(self))
            if f.name not in columns
        )
        out = (
            f"<div><strong>{name}</strong> {html.escape(headline)}<table>{rows}</table>"
        )
        if columns:
            head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
            n = len(next(iter(columns.values())))
            body = "".join(
                "<tr>"
                + "".join(
                    f"<td>{html.escape(_short(col[i]))}</td>"
                    for col in columns.values()
                )
                + "</tr>"
                for i in range(min(n, HTML_ROWS))
            )
            more = f"<p>{n - HTML_ROWS} more rows</p>" if n > HTML_ROWS else ""
            out += f"<table><tr>{head}</tr>{body}</table>{more}"
        return out + "</div>"

    def to_dict(self) -> dict[str, Any]:
        """Return the object as plain JSON-ready data.

        Every field by name: arrays as lists (so per-row results are
        columns of equal length), nested results as dicts, tuples as lists,
        numpy scalars as Python numbers, ``datetime64`` as ISO 8601 strings.
        NaN and infinity stay Python floats, which :func:`json.dumps` writes
        as ``NaN`` and ``Infinity`` and :func:`json.loads` reads back.

        Returns
        -------
        dict
            Plain data that :meth:`from_dict` reads back into an equal object.
        """
        return {f.name: to_plain(getattr(self, f.name)) for f in _fields(type(self))}

    @classmethod
    def from_dict(cls: type[_R], data: object) -> _R:
        """Build the object from plain data such as :meth:`to_dict` returns.

        Parameters
        ----------
        data : dict
            One entry per field, as :meth:`to_dict` (or
            ``json.loads(json.dumps(...))`` of it) gives; entries for
            fields the class computes itself are ignored.

        Returns
        -------
        object
            An object equal to the one ``data`` came from.

        Raises
        ------
        TypeError
            If ``data`` is not a mapping.
        ValueError
            If it has a key that is not a field.
        """
        if not isinstance(data, Mapping):
            msg = f"`data` must be a dict; got {type(data).__name__}."
            raise TypeError(msg)
        fields = {f.name: f for f in _fields(cls)}
        unknown = [k for k in data if k not in fields]
        if unknown:
            msg = (
                f"`data` has unknown key {unknown[0]!r} for {cls.__name__}; the keys "
                f"are {list(fields)}. Check the spelling."
            )
            raise ValueError(msg)
        hints = _hints(cast("type", cls))
        kwargs = {
            name: from_plain(
                value,
                hints.get(name, Any),
                fields[name].metadata.get(_DTYPE_KEY),
            )
            for name, value in data.items()
            if fields[name].init
        }
        return cls(**kwargs)

    def to_frame(self, backend: FrameBackend = "pandas") -> Any:
        """Return the per-row fields as a table of ``backend``.

        One column per per-row field, in field order. A result that holds
        customer ids is keyed by them: ``customer_id`` is the first column
        (the index, named ``customer_id``, for pandas), so that joining the
        table into another is by key, never by position. Scalar fields
        (units, options) stay on the result. Times coarser than milliseconds
        become milliseconds (the coarsest unit every backend stores).

        The backend is imported only here: it is an optional dependency.

        Parameters
        ----------
        backend : {'pandas', 'polars', 'pyarrow'}, default='pandas'
            The library of the table returned.

        Returns
        -------
        pandas.DataFrame, polars.DataFrame or pyarrow.Table

        Raises
        ------
        ImportError
            If ``backend`` is not installed; the message names the package.
        TypeError
            If the result has no per-row columns.
        ValueError
            If ``backend`` is not one of the three.
        """
        if backend not in ("pandas", "polars", "pyarrow"):
            msg = f"`backend` must be 'pandas', 'polars' or 'pyarrow'; got {backend!r}."
            raise ValueError(msg)
        columns = {name: _frame_column(a) for name, a in _columns(self).items()}
        if not columns:
            msg = (
                f"{type(self).__name__} has no per-row columns to make a table "
                "of; use to_dict() for its fields."
            )
            raise TypeError(msg)
        try:
            module = importlib.import_module(backend)
        except ImportError:
            msg = (
                f"to_frame(backend={backend!r}) needs the package {backend!r}, "
                f"which is not installed; install it with `pip install {backend}`."
            )
            raise ImportError(msg) from None
        if KEY_COLUMN in columns:
            columns = {KEY_COLUMN: columns.pop(KEY_COLUMN), **columns}
        if backend == "pyarrow":
            return module.table(columns)
        frame = module.DataFrame(columns)
        if backend == "pandas" and KEY_COLUMN in columns:
            frame = frame.set_index(KEY_COLUMN)
        return frame


def _frame_column(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Return ``array`` in a dtype every table backend stores."""
    if array.dtype.kind in "mM":
        unit, _ = np.datetime_data(array.dtype)
        if unit not in ("ms", "us", "ns"):
            return array.astype(f"{array.dtype.kind}8[ms]")
    return array
