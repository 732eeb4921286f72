"""The one durable_rules host of the process, tamed.

- No timer threads: the stock Host dispatches actions from two timers concurrently
  with our calls (segfaults, stray error 307); ours never starts them.
- One lock around every call into durable: its C core is not thread-safe, and holds
  the GIL anyway, so threads could not make it faster.
- Rulesets are registered under fresh names (durable cannot register a name twice)
  and dropped again when their engine goes, so engines can be re-created at will.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping, Sequence

import durable_rules_engine  # durable's C core
from durable import engine as durable

from generator.rules.durable.values import dumps

Action = Callable[[object], None]
LOCK = threading.RLock()
_numbers = itertools.count(1)


class _QuietHost(durable.Host):
    def _run(self) -> None:
        """Start no timer threads (see the module docstring)."""


class _Ruleset(durable.Ruleset):
    """A durable Ruleset built from our own JSON text.

    durable's constructor serialises with json.dumps, whose `1e-05` its parser cannot
    read, and deletes the actions from the dict it is given.
    """

    def __init__(self, name: str, host: durable.Host, definition: str, actions: Mapping[str, Action]) -> None:
        self._name = name
        self._host = host
        self._definition = definition
        self._actions = {rule: durable.Promise(action) for rule, action in actions.items()}
        self._handle = durable_rules_engine.create_ruleset(name, definition)


_host: _QuietHost | None = None


def host() -> _QuietHost:
    global _host
    with LOCK:
        if _host is None:
            _host = _QuietHost()
        return _host


def register(prefix: str, definitions: Sequence[tuple[Mapping[str, object] | str, Mapping[str, Action]]]
             ) -> tuple[str, ...]:
    """Register rulesets (definition, as a dict or as the JSON text `dumps` makes of one; actions
    by rule name); returns their new names."""
    with LOCK:
        number = next(_numbers)
        names = tuple(f"{prefix}{number}.{i}" for i in range(len(definitions)))
        made: list[str] = []
        try:
            for name, (definition, actions) in zip(names, definitions, strict=True):
                text = definition if isinstance(definition, str) else dumps(definition)
                ruleset = _Ruleset(name, host(), text, actions)
                host()._ruleset_directory[name] = ruleset
                host()._ruleset_list.append(ruleset)
                made.append(name)
        except BaseException:
            drop(made)
            raise
        return names


def drop(names: Sequence[str]) -> None:
    """Forget rulesets and free their C memory (durable itself has no unregister)."""
    with LOCK:
        for name in names:
            ruleset = host()._ruleset_directory.pop(name, None)
            if ruleset is not None:
                host()._ruleset_list.remove(ruleset)
                durable_rules_engine.delete_ruleset(ruleset._handle)


def registered() -> int:
    """How many rulesets are registered (for tests of leaks)."""
    with LOCK:
        return len(host()._ruleset_directory)


def run(name: str, fact: str, sid: str, act: Callable[[str], None]) -> None:
    """Assert one fact (our JSON text) in a new session `sid`, call `act` with the name of
    each durable rule durable hands out, and delete the session whatever happens.

    This drives durable's C core the way its Python wrapper does, minus what we do not
    need: the wrapper parses every matched fact back from JSON and rewrites the session
    state after each action, and it swallows exceptions from actions into the state's
    "exception" key. Here an exception from `act` abandons the action and propagates.
    """
    handle = host()._ruleset_directory[name]._handle
    try:
        code, state = durable_rules_engine.assert_fact(handle, fact)
        if code != 0:  # 1 nothing matched (the catch-all prevents it), 2 seen already (sessions are fresh)
            raise RuntimeError(f"durable_rules refused a fact (code {code}) in ruleset {name}: "
                               "the engine broke an invariant, whatever the input")
        started = durable_rules_engine.start_action_for_state(handle, state)
        messages = started and started[1]
        while messages:  # '{"<rule name>":...}'; our rule names need no escaping
            try:
                act(messages[2 : messages.index('"', 2)])
            except BaseException:
                durable_rules_engine.abandon_action(handle, state)
                raise
            messages = durable_rules_engine.complete_and_start_action(handle, state)
    finally:
        _delete_state(handle, sid)


def _delete_state(handle: int, sid: str) -> None:
    try:
        durable_rules_engine.delete_state(handle, sid)
    except durable_rules_engine.error as error:
        if "error code: 309" not in str(error):  # 309: no such session, nothing to free
            raise
