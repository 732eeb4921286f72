"""Frozen record classes that cost next to nothing to define.

`@dataclass(frozen=True)` writes the source of six methods for each class and compiles it: about
0.8 ms a class on Python 3.11, some 15 ms of a cold `opsbook plan` for the model classes alone,
although a plan from the cache constructs, compares or prints few of their objects (they are
unpickled). `@record` makes the same kind of class, a dataclass (`fields`, `replace` and `asdict`
work) that is frozen, compared and hashed by its compared fields (and ordered by them with
`@record(order=True)`) and shown as `Name(field=value)`, with methods shared by every record class
that read the class's field list instead of methods generated for it. Constructing a record costs
a fraction of a microsecond more, so classes whose objects are made per client keep `@dataclass`.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")
MISSING: Any = dataclasses.MISSING


class _Spec:
    """What the shared methods of one record class need to know about its fields."""

    __slots__ = ("defaults", "hashed", "key", "name", "names", "post_init", "shown")

    def __init__(self, cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> None:
        self.name = cls.__name__
        self.post_init = hasattr(cls, "__post_init__")
        self.names = tuple(f.name for f in fields if f.init)
        self.defaults: tuple[tuple[Any, Any], ...] = tuple((f.default, f.default_factory) for f in fields if f.init)
        self.key = _getter(tuple(f.name for f in fields if f.compare))
        self.hashed = _getter(tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)))
        self.shown = tuple(f.name for f in fields if f.repr)

    def bind(self, args: tuple[object, ...], kwargs: dict[str, object]) -> tuple[object, ...]:
        """Every field's value, from arguments given as __init__ takes them, else its default."""
        if len(args) > len(self.names):
            raise TypeError(f"{self.name}() takes {len(self.names)} positional arguments but {len(args)} were given")
        values = list(args)
        for name in self.names[:len(args)]:
            if name in kwargs:
                raise TypeError(f"{self.name}() got multiple values for argument {name!r}")
        for name, (default, factory) in zip(self.names[len(args):], self.defaults[len(args):], strict=True):
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif default is not MISSING:
                values.append(default)
            elif factory is not MISSING:
                values.append(factory())
            else:
                raise TypeError(f"{self.name}() missing required argument: {name!r}")
        if kwargs:
            raise TypeError(f"{self.name}() got an unexpected keyword argument {next(iter(kwargs))!r}")
        return tuple(values)


@overload
def record(cls: type[T], /) -> type[T]: ...


@overload
def record(*, order: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: type[T] | None = None, /, *, order: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """`cls` as a frozen dataclass with shared methods (see the module's docstring); `order=True`
    adds <, <=, > and >= over the compared fields, as dataclass(order=True) does."""
    def make(cls: type[T]) -> type[T]:
        made = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)
        made.__record__ = _Spec(made, dataclasses.fields(made))  # type: ignore[attr-defined,arg-type]
        for name, method in ((_METHODS | _ORDER) if order else _METHODS).items():
            setattr(made, name, method)
        return made

    return make if cls is None else make(cls)


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple[object, ...]]:
    """The values of `names`, as a tuple (attrgetter returns a bare value for a single name)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def _init(self: Any, *args: object, **kwargs: object) -> None:
    spec = self.__record__
    if kwargs or len(args) != len(spec.names):
        args = spec.bind(args, kwargs)
    self.__dict__.update(zip(spec.names, args, strict=False))  # bind() gave one value per name
    if spec.post_init:
        self.__post_init__()


def _eq(self: Any, other: object) -> bool:
    key = self.__record__.key
    if other.__class__ is self.__class__:
        return bool(key(self) == key(other))
    return NotImplemented


def _ordered(compare: Callable[[tuple[object, ...], tuple[object, ...]], bool]) -> Callable[[Any, object], bool]:
    def method(self: Any, other: object) -> bool:
        key = self.__record__.key
        if other.__class__ is self.__class__:
            return compare(key(self), key(other))
        return NotImplemented

    return method


def _hash(self: Any) -> int:
    return hash(self.__record__.hashed(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record__.shown)
    return f"{type(self).__qualname__}({shown})"


def _setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


_METHODS: dict[str, Callable[..., Any]] = {
    "__init__": _init, "__eq__": _eq, "__hash__": _hash, "__repr__": _repr,
    "__setattr__": _setattr, "__delattr__": _delattr,
}
_ORDER: dict[str, Callable[..., Any]] = {
    "__lt__": _ordered(operator.lt), "__le__": _ordered(operator.le),
    "__gt__": _ordered(operator.gt), "__ge__": _ordered(operator.ge),
}
