"""A CRD's CEL validation rules (`x-kubernetes-validations`), evaluated offline.

CRDs say more and more of what they accept in CEL: "exactly one of chart and chartRef",
"maxLength >= minLength". Schema validation (`validate.py`) does not run those rules, so a
custom resource that breaks one passes `modsys validate` and fails at `kubectl apply`. Here each
rule is evaluated where the API server evaluates it: with `self` bound to every value the
schema node that carries the rule describes (each element, for a rule on `items`; each value,
for a rule on `additionalProperties`), when that value is present.

The evaluator is `cel-expr-python`, the Python binding of the CEL C++ implementation (the CEL
project's own, so the language's conformance suite is its test suite); `cel-python` (pure
Python) was the alternative, but it answers some ill-typed expressions instead of failing them
(`'key' in "a string"` is true there). It is optional: without it, `check_cel` reports the
rules it could not check instead of checking them.

What is not done, and why (each case lands in `CelResult.unchecked` with the reason, never as
a problem):

* transition rules (those that use `oldSelf`): the API server runs them only on update;
* rules calling Kubernetes' own CEL libraries (`quantity()`, `url()`, `isSorted()`, `ip()`,
  authorizer …), which the CEL runtime lacks: they fail to compile, and are listed;
* a rule whose evaluation errors (a field it reads is absent): the API server would first
  apply the schema's defaults, which modsys does not, so reporting the error would often be
  wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from modsys.kube.apiserver import field_path as _at
from modsys.kube.kinds import CustomResourceIndex
from modsys.kube.mergekeys import ListMerge, element_label
from modsys.kube.validate import Problem, object_ref

_OLD_SELF = re.compile(r"\boldSelf\b")


@attrs.frozen
class CelResult:
    """The problems (rules that evaluated to false) and the rules not checked, with why."""

    problems: tuple[Problem, ...] = ()
    unchecked: tuple[str, ...] = ()


class CelUnavailableError(RuntimeError):
    """The CEL runtime (`cel-expr-python`) is not installed."""


@functools.cache
def _env() -> Any:
    try:
        from cel_expr_python import cel  # type: ignore[import-not-found]
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise CelUnavailableError(
            "CEL rules need the cel-expr-python package (pip install 'modsys[cel]')"
        ) from e
    extensions: list[Any] = []
    for module, name in (("ext_strings", "ExtStrings"), ("ext_optional", "ExtOptional")):
        try:
            ext = __import__(f"cel_expr_python.ext.{module}", fromlist=[name])
            extensions.append(getattr(ext, name)())
        except (ImportError, AttributeError, TypeError):
            continue
    return cel, cel.NewEnv(variables={"self": cel.Type.DYN}, extensions=extensions)


def cel_available() -> bool:
    """Whether the CEL runtime can be loaded."""
    try:
        _env()
    except CelUnavailableError:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _compiled(rule: str) -> tuple[Any, str | None]:
    """(compiled expression, None) or (None, why it cannot be checked)."""
    if _OLD_SELF.search(rule):
        return None, "transition rule (uses oldSelf): the API server runs it on update only"
    _, env = _env()
    try:
        return env.compile(rule), None
    except RuntimeError as e:
        text = str(e).replace("\n", " ")
        if "undeclared reference" in text:
            return (
                None,
                f"uses a function of Kubernetes' CEL libraries that modsys lacks ({text[:120]})",
            )
        return None, f"does not compile: {text[:160]}"


def evaluate_rule(rule: str, value: Any) -> bool | None:
    """The rule's verdict on `value` as `self`: True, False, or None when it cannot be decided
    (a transition rule, an unsupported function, an evaluation error)."""
    expression, _ = _compiled(rule)
    if expression is None:
        return None
    cel, _ = _env()
    result = expression.eval(data={"self": value})
    if result.type() == cel.Type.BOOL:
        return bool(result.value())
    return None


class _Walker:
    def __init__(self, obj: Mapping[str, Any], index: int | None) -> None:
        self.obj = obj
        self.index = index
        self.problems: list[Problem] = []
        self.unchecked: dict[str, None] = {}

    def walk(self, schema: Any, value: Any, path: str) -> None:
        if not isinstance(schema, Mapping) or value is None:
            return
        rules = schema.get("x-kubernetes-validations")
        if isinstance(rules, list):
            for rule in rules:
                if isinstance(rule, Mapping) and isinstance(rule.get("rule"), str):
                    self.check(rule, value, path)
        if isinstance(value, Mapping):
            props = schema.get("properties")
            if isinstance(props, Mapping):
                for key, sub in props.items():
                    if key in value:
                        self.walk(sub, value[key], _at(path, key))
            addl = schema.get("additionalProperties")
            if isinstance(addl, Mapping):
                for key, sub_value in value.items():
                    if not isinstance(props, Mapping) or key not in props:
                        self.walk(addl, sub_value, _at(path, key))
        elif isinstance(value, list):
            items = schema.get("items")
            if isinstance(items, Mapping):
                lm = ListMerge.of(schema)
                for i, element in enumerate(value):
                    self.walk(items, element, path + element_label(lm, element, i))

    def check(self, rule: Mapping[str, Any], value: Any, path: str) -> None:
        text = rule["rule"]
        expression, why = _compiled(text)
        if expression is None:
            self.unchecked.setdefault(f"{path or '<root>'}: {text}: {why}")
            return
        verdict = evaluate_rule(text, value)
        if verdict is None:
            self.unchecked.setdefault(
                f"{path or '<root>'}: {text}: evaluation error (a field it reads may be absent "
                "and defaulted by the API server)"
            )
            return
        if verdict:
            return
        message = _message(rule, value) or f"failed rule: {text}"
        field_path = rule.get("fieldPath")
        where = (
            path + field_path
            if isinstance(field_path, str) and field_path.startswith((".", "["))
            else path
        )
        self.problems.append(Problem(object_ref(self.obj), where, message, self.index))


def _message(rule: Mapping[str, Any], value: Any) -> str | None:
    """The rule's `messageExpression` evaluated (as the API server does), else its `message`."""
    expression_text = rule.get("messageExpression")
    if isinstance(expression_text, str) and expression_text:
        expression, _ = _compiled(expression_text)
        if expression is not None:
            cel, _ = _env()
            result = expression.eval(data={"self": value})
            if result.type() == cel.Type.STRING and result.value():
                return str(result.value())
    message = rule.get("message")
    return message if isinstance(message, str) and message else None


def check_cel(obj: Any, schema: Mapping[str, Any], index: int | None = None) -> CelResult:
    """Evaluate every `x-kubernetes-validations` rule of a CRD version's `openAPIV3Schema`
    (`schema`) on the custom resource `obj`. Raises `CelUnavailableError` without the runtime.
    `index` is copied into the problems, as in `validate_objects`."""
    _env()
    if not isinstance(obj, Mapping):
        return CelResult()
    walker = _Walker(obj, index)
    walker.walk(schema, obj, "")
    return CelResult(tuple(walker.problems), tuple(walker.unchecked))


def check_cel_objects(objects: Sequence[Any], crds: CustomResourceIndex) -> CelResult:
    """`check_cel` on every custom resource among `objects` whose CRD (for its apiVersion's
    version) is in `crds`; problems carry the object's index. Objects of other kinds are
    skipped. Raises `CelUnavailableError` without the runtime."""
    _env()
    problems: list[Problem] = []
    unchecked: dict[str, None] = {}
    for index, obj in enumerate(objects):
        if not isinstance(obj, Mapping):
            continue
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api_version, str) or not isinstance(kind, str):
            continue
        schema = crds.schema(api_version, kind)
        if schema is None:
            continue
        result = check_cel(obj, schema, index)
        problems.extend(result.problems)
        unchecked.update((f"{kind}: {text}", None) for text in result.unchecked)
    return CelResult(tuple(problems), tuple(unchecked))
