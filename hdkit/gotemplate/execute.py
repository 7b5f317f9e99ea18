"""Compile a parsed template to Python closures and run them, with Go's execution semantics.

Each node becomes a closure once, at compile time; rendering calls closures and never inspects
node types. The render state (output buffer, variable stack, options, hook) lives in one
:class:`_State` per render call, so a :class:`CompiledTemplate` is immutable and can be shared
between threads.

Go semantics kept on purpose: a missing map key is Go's *invalid value* (prints
``<no value>``, is ``nil`` to functions, and a field of it is again missing), while a present
``null`` met in the middle of a field chain is an error ("nil pointer evaluating"); functions
check their argument count before arguments are evaluated; ``and``/``or`` short-circuit and
return an operand; variables live on a stack that ``if``/``with``/``range`` pop at ``{{end}}``.
"""

from __future__ import annotations

import difflib
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from hdkit.errors import Location, TemplateError, TemplateExecError, TemplateSyntaxError, caret_snippet
from hdkit.secrets import Secret

from .funcs import BUILTINS, FuncError, MapElement, Signature, is_true, signature_of
from .gofmt import GoInt, shown, sprint_value, type_name
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)
from .parser import ParseError, parse
from .gostr import rejoin
from .refs import FieldRef, collect_fields
from .spans import action_spans, fix_quotes, line_col

__all__ = ["CompiledTemplate", "FieldRef", "Hook", "MAX_TEMPLATE_DEPTH", "compile_template", "render"]

Hook = Callable[[int, str, int], str]
# Go stops at 100,000 nested {{template}} calls; hdkit at 3,000 (each one costs a few Python
# frames, given room by _headroom), enough to run the JSON escaper lint suggests on 3,000 bytes.
MAX_TEMPLATE_DEPTH = 3000
_FRAMES_PER_CALL = 8


class _Headroom:
    """Raise Python's recursion limit while a template that calls templates renders.

    The limit is process-wide: it is raised on the first such render and put back when the last
    one ends (threads may render at once), so code outside a render keeps the usual guard.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._saved = 0

    def __enter__(self) -> None:
        with self._lock:
            if self._active == 0:
                self._saved = sys.getrecursionlimit()
                sys.setrecursionlimit(max(self._saved, MAX_TEMPLATE_DEPTH * _FRAMES_PER_CALL + 1000))
            self._active += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0:
                sys.setrecursionlimit(self._saved)


_HEADROOM = _Headroom()
_MISSINGKEY = {"default": "default", "invalid": "default", "zero": "zero", "error": "error"}


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class _NilElement:
    """Dot (or a range variable) holding a ``null`` element of a ranged list or map.

    Go keeps such an element as a nil *interface*, unlike a missing key: printing it gives
    ``<no value>`` but reading a field of it is an error. Everywhere else it reads as nil.
    """

    __slots__ = ()


_NIL_ELEM = _NilElement()


def _unwrap(v: Any) -> Any:
    return None if v is _NIL_ELEM else v


class _State:
    """Everything one render call owns."""

    __slots__ = ("out", "vars", "missingkey", "hook", "depth", "tree", "counted", "counted_len", "source", "name")

    def __init__(self, source: str, name: str, missingkey: str, hook: Hook | None) -> None:
        self.out: list[str] = []
        self.vars: list[list[Any]] = []
        self.missingkey = missingkey
        self.hook = hook
        self.depth = 0
        self.tree = name
        self.counted = 0
        self.counted_len = 0
        self.source = source
        self.name = name

    def position(self) -> int:
        """Length of the output written so far."""
        out = self.out
        total = self.counted_len
        for i in range(self.counted, len(out)):
            total += len(out[i])
        self.counted, self.counted_len = len(out), total
        return total

    def error(self, node: Node, message: str) -> TemplateExecError:
        line, column = line_col(self.source, node.pos)
        return TemplateExecError(
            f'executing "{self.tree}" at <{_short(node)}>: {message}',
            Location(line=line, column=column, source=self.name),
            snippet=caret_snippet(self.source, line, column),
        )


def _short(node: Node) -> str:
    text = str(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(v: Any) -> str:
    """What an action prints for a value (``fmt.Fprint``; nil is ``<no value>``)."""
    if v is None:
        return "<no value>"
    if type(v) is Secret:
        return v.reveal()
    return sprint_value(v)


# ----------------------------------------------------------------------------- field chains

Fn = Callable[..., Any]


def _field_chain(node: Node, idents: tuple[str, ...], has_args: bool) -> Callable[[_State, Any], Any]:
    """A closure reading ``idents`` from a receiver, Go's ``evalFieldChain``."""
    last = len(idents) - 1

    def chain(st: _State, receiver: Any) -> Any:
        if receiver is _NIL_ELEM:
            raise st.error(node, f"nil pointer evaluating interface {{}}.{idents[0]}")
        valid = receiver is not None
        for i, name in enumerate(idents):
            if not valid:
                if st.missingkey == "error":
                    raise st.error(node, f'nil data; no entry for key "{name}"')
                return None
            if isinstance(receiver, Mapping):
                if has_args and i == last:
                    raise st.error(node, f"{name} is not a method but has arguments")
                try:
                    receiver = receiver[name]
                except KeyError:
                    mode = st.missingkey
                    if mode == "error":
                        raise st.error(node, f'map has no entry for key "{name}"') from None
                    if mode == "zero":
                        return ""
                    else:
                        valid = False
                        receiver = None
                continue
            if receiver is None:
                raise st.error(node, f"nil pointer evaluating interface {{}}.{name}")
            raise st.error(node, f"can't evaluate field {name} in type {type_name(receiver)}")
        return receiver

    if len(idents) == 1 and not has_args:
        key = idents[0]

        def single(st: _State, receiver: Any) -> Any:
            if type(receiver) is dict:
                try:
                    return receiver[key]
                except KeyError:
                    if st.missingkey == "default":
                        return None
            return chain(st, receiver)

        return single
    return chain


# ----------------------------------------------------------------------------- compiler


class _Compiler:
    def __init__(self, funcs: Mapping[str, Signature], trees: dict[str, Fn]) -> None:
        self.funcs = funcs
        self.trees = trees

    # -- lists and control -------------------------------------------------------------
    def list(self, node: ListNode) -> Fn:
        ops = [op for op in (self.node(n) for n in node.nodes) if op is not None]
        if not ops:
            return lambda st, dot: None
        if len(ops) == 1:
            return ops[0]
        ops_t = tuple(ops)

        def run(st: _State, dot: Any) -> None:
            for op in ops_t:
                op(st, dot)

        return run

    def node(self, node: Node) -> Fn | None:
        if isinstance(node, TextNode):
            text = node.text

            def emit(st: _State, dot: Any) -> None:
                st.out.append(text)

            return emit
        if isinstance(node, ActionNode):
            return self.action(node)
        if isinstance(node, (IfNode, WithNode)):
            return self.if_with(node)
        if isinstance(node, RangeNode):
            return self.range(node)
        if isinstance(node, TemplateNode):
            return self.template(node)
        if isinstance(node, BreakNode):

            def brk(st: _State, dot: Any) -> None:
                raise _Break()

            return brk
        if isinstance(node, ContinueNode):

            def cont(st: _State, dot: Any) -> None:
                raise _Continue()

            return cont
        raise TypeError(f"unknown node {node!r}")  # pragma: no cover - the parser makes no others

    def action(self, node: ActionNode) -> Fn:
        pipe = self.pipe(node.pipe)
        if node.pipe.decl:
            return pipe
        start = node.start

        def run(st: _State, dot: Any) -> None:
            v = pipe(st, dot)
            s = v if type(v) is str else _text(v)
            hook = st.hook
            if hook is not None:
                s = hook(start, s, st.position())
            st.out.append(s)

        return run

    def if_with(self, node: IfNode | WithNode) -> Fn:
        pipe = self.pipe(node.pipe)
        body = self.list(node.list)
        other = self.list(node.else_list) if node.else_list is not None else None
        rebind = isinstance(node, WithNode)

        def run(st: _State, dot: Any) -> None:
            mark = len(st.vars)
            v = pipe(st, dot)
            if is_true(v):
                body(st, v if rebind else dot)
            elif other is not None:
                other(st, dot)
            del st.vars[mark:]

        return run

    def range(self, node: RangeNode) -> Fn:
        pipe = self.pipe(node.pipe)
        body = self.list(node.list)
        other = self.list(node.else_list) if node.else_list is not None else None
        n_decl = len(node.pipe.decl)

        def iteration(st: _State, mark: int, index: Any, elem: Any) -> None:
            vars_ = st.vars
            if n_decl > 0:
                vars_[-1][1] = elem
            if n_decl > 1:
                vars_[-2][1] = index
            try:
                body(st, elem)
            except _Continue:
                pass
            del vars_[mark:]

        def run(st: _State, dot: Any) -> None:
            outer = len(st.vars)
            v = pipe(st, dot)
            mark = len(st.vars)
            try:
                if isinstance(v, (list, tuple)):
                    if v:
                        for i, elem in enumerate(v):
                            iteration(st, mark, GoInt(i), _NIL_ELEM if elem is None else elem)
                        return
                elif isinstance(v, Mapping):
                    if v:
                        for key in sorted(v, key=_key_order):
                            elem = v[key]
                            iteration(st, mark, key, _NIL_ELEM if elem is None else elem)
                        return
                elif v is not None:
                    raise st.error(node.pipe, f"range can't iterate over {shown(v)}")
                if other is not None:
                    other(st, dot)
            except _Break:
                pass
            finally:
                del st.vars[outer:]

        return run

    def template(self, node: TemplateNode) -> Fn:
        pipe = self.pipe(node.pipe) if node.pipe is not None else None
        name = node.name
        trees = self.trees

        def run(st: _State, dot: Any) -> None:
            tree = trees.get(name)
            if tree is None:
                raise st.error(node, f'template "{name}" not defined')
            if st.depth >= MAX_TEMPLATE_DEPTH:
                raise st.error(node, f"exceeded maximum template depth ({MAX_TEMPLATE_DEPTH}; Go allows 100000)")
            new_dot = pipe(st, dot) if pipe is not None else None
            saved = st.vars, st.tree
            st.vars, st.tree = [["$", new_dot]], name
            st.depth += 1
            try:
                tree(st, new_dot)
            finally:
                st.vars, st.tree = saved
                st.depth -= 1

        return run

    # -- pipelines and commands ----------------------------------------------------------
    def pipe(self, node: PipeNode) -> Fn:
        first = self.command(node.cmds[0], False)
        rest = tuple(self.command(c, True) for c in node.cmds[1:])
        decl = tuple(v.ident[0] for v in node.decl)
        if not rest and not decl:
            return first
        is_assign = node.is_assign

        def run(st: _State, dot: Any) -> Any:
            v = first(st, dot)
            for cmd in rest:
                v = cmd(st, dot, v)
            for name in decl:
                if is_assign:
                    _set_var(st, node, name, v)
                else:
                    st.vars.append([name, v])
            return v

        return run

    def command(self, cmd: CommandNode, has_final: bool) -> Fn:
        first = cmd.args[0]
        if isinstance(first, IdentifierNode):
            return self.call(first, cmd.args[1:], has_final, cmd)
        if isinstance(first, FieldNode):
            chain = _field_chain(first, first.ident, len(cmd.args) > 1 or has_final)
            return _with_final(lambda st, dot: chain(st, dot), has_final)
        if isinstance(first, VariableNode):
            return self.variable(first, len(cmd.args) > 1 or has_final, has_final)
        if isinstance(first, ChainNode):
            base = self.chain_base(first)
            chain = _field_chain(first, first.fields, len(cmd.args) > 1 or has_final)
            return _with_final(lambda st, dot: chain(st, base(st, dot)), has_final)
        if len(cmd.args) > 1 or has_final:

            def not_a_function(st: _State, dot: Any, final: Any = None) -> Any:
                raise st.error(first, f"can't give argument to non-function {first}")

            return not_a_function
        if isinstance(first, PipeNode):
            return self.pipe(first)
        if isinstance(first, NilNode):

            def nil(st: _State, dot: Any) -> Any:
                raise st.error(first, "nil is not a command")

            return nil
        if isinstance(first, DotNode):
            return lambda st, dot: _unwrap(dot)
        value = _literal(first)
        return lambda st, dot: value

    def chain_base(self, node: ChainNode) -> Fn:
        if isinstance(node.node, NilNode):

            def nil(st: _State, dot: Any) -> Any:
                raise st.error(node, f"indirection through explicit nil in {node}")

            return nil
        return self.arg(node.node, False)

    def variable(self, node: VariableNode, has_args: bool, has_final: bool) -> Fn:
        name = node.ident[0]
        if len(node.ident) == 1:
            if has_args:

                def not_a_function(st: _State, dot: Any, final: Any = None) -> Any:
                    raise st.error(node, f"can't give argument to non-function {node}")

                return not_a_function
            return lambda st, dot: _unwrap(_var_value(st, node, name))
        chain = _field_chain(node, node.ident[1:], has_args)
        return _with_final(lambda st, dot: chain(st, _var_value(st, node, name)), has_final)

    def arg(self, node: Node, string: bool) -> Fn:
        """Go's ``evalArg``: an argument for an ``interface{}`` (or ``string``) parameter."""
        if isinstance(node, (BoolNode, NumberNode, StringNode, NilNode)):
            if string:
                if isinstance(node, StringNode):
                    text = node.text
                    return lambda st, dot: text
                message = "cannot assign nil to string" if isinstance(node, NilNode) else f"expected string; found {node}"

                def bad(st: _State, dot: Any) -> Any:
                    raise st.error(node, message)

                return bad
            value = None if isinstance(node, NilNode) else _literal(node)
            return lambda st, dot: value
        if isinstance(node, DotNode):
            fn: Fn = lambda st, dot: _unwrap(dot)
        elif isinstance(node, FieldNode):
            chain = _field_chain(node, node.ident, False)
            fn = lambda st, dot: chain(st, dot)
        elif isinstance(node, VariableNode):
            fn = self.variable(node, False, False)
        elif isinstance(node, PipeNode):
            fn = self.pipe(node)
        elif isinstance(node, IdentifierNode):
            fn = self.call(node, (), False, node)
        elif isinstance(node, ChainNode):
            base = self.chain_base(node)
            chain = _field_chain(node, node.fields, False)
            fn = lambda st, dot: chain(st, base(st, dot))
        else:  # pragma: no cover - the parser makes no other operands
            raise TypeError(f"unexpected operand {node!r}")
        if not string:
            return fn
        return lambda st, dot: _as_string(st, node, fn(st, dot))

    def call(self, ident: IdentifierNode, args: tuple[Node, ...], has_final: bool, cmd: Node) -> Fn:
        name = ident.name
        sig = self.funcs[name]
        got = len(args) + (1 if has_final else 0)
        if (sig.variadic and got < sig.fixed) or (not sig.variadic and got != sig.fixed):
            want = f"at least {sig.fixed}" if sig.variadic else str(sig.fixed)
            message = f"wrong number of args for {name}: want {want} got {len(args) if sig.variadic else got}"

            def wrong(st: _State, dot: Any, final: Any = None) -> Any:
                raise st.error(ident, message)

            return wrong
        argfns = tuple(self.arg(a, i in sig.strings) for i, a in enumerate(args))
        if sig is BUILTINS["slice"]:
            argfns = argfns[:1] + tuple(
                _boxed(fn) if _reads_map(a) else fn for a, fn in zip(args[1:], argfns[1:])
            )
        if sig is BUILTINS["and"] or sig is BUILTINS["or"]:
            return self.and_or(sig is BUILTINS["or"], argfns, has_final)
        final_is_string = len(args) in sig.strings
        fn = sig.fn

        def invoke(st: _State, argv: list[Any]) -> Any:
            try:
                return fn(*argv)
            except FuncError as exc:
                raise st.error(cmd, f"error calling {name}: {exc}") from None
            except TemplateError:
                raise
            except RecursionError:
                raise st.error(cmd, f"error calling {name}: value nested too deeply") from None
            except Exception as exc:  # a user function's failure is an execution error
                raise st.error(cmd, f"error calling {name}: {exc}") from exc

        if has_final:

            def run_final(st: _State, dot: Any, final: Any) -> Any:
                argv = [a(st, dot) for a in argfns]
                argv.append(_as_string(st, cmd, final) if final_is_string else final)
                return invoke(st, argv)

            return run_final
        if len(argfns) == 1:
            a0 = argfns[0]
            return lambda st, dot: invoke(st, [a0(st, dot)])
        return lambda st, dot: invoke(st, [a(st, dot) for a in argfns])

    @staticmethod
    def and_or(is_or: bool, argfns: tuple[Fn, ...], has_final: bool) -> Fn:
        """``and``/``or``: evaluate left to right, stop at the first false/true operand and
        return it; otherwise the last operand (the piped value when there is one)."""

        def run(st: _State, dot: Any, final: Any = None) -> Any:
            v = None
            for a in argfns:
                v = a(st, dot)
                if is_true(v) == is_or:
                    return v
            return final if has_final else v

        return run if has_final else (lambda st, dot: run(st, dot))


def _reads_map(node: Node) -> bool:
    """True when an argument's value comes straight out of a map (Go: an interface{} value)."""
    return isinstance(node, (FieldNode, ChainNode)) or (isinstance(node, VariableNode) and len(node.ident) > 1)


def _boxed(fn: Fn) -> Fn:
    return lambda st, dot: MapElement(fn(st, dot))


def _with_final(fn: Fn, has_final: bool) -> Fn:
    if not has_final:
        return fn
    return lambda st, dot, final: fn(st, dot)


def _literal(node: Node) -> Any:
    if isinstance(node, BoolNode):
        return node.value
    if isinstance(node, NumberNode):
        return GoInt(node.value) if type(node.value) is int else node.value
    if isinstance(node, StringNode):
        return node.text
    raise TypeError(f"not a literal: {node!r}")  # pragma: no cover


def _as_string(st: _State, node: Node, v: Any) -> str:
    """Go's ``validateType`` for a ``string`` parameter (printf's format)."""
    if type(v) is str:
        return v
    if isinstance(v, Secret):
        return v.reveal()
    if isinstance(v, str):
        return str(v)
    if v is None:
        raise st.error(node, "invalid value; expected string")
    raise st.error(node, f"wrong type for value; expected string; got {type_name(v)}")


def _var_value(st: _State, node: Node, name: str) -> Any:
    vars_ = st.vars
    for i in range(len(vars_) - 1, -1, -1):
        if vars_[i][0] == name:
            return vars_[i][1]
    raise st.error(node, f"undefined variable: {name}")


def _set_var(st: _State, node: Node, name: str, value: Any) -> None:
    vars_ = st.vars
    for i in range(len(vars_) - 1, -1, -1):
        if vars_[i][0] == name:
            vars_[i][1] = value
            return
    raise st.error(node, f"undefined variable: {name}")


def _key_order(k: Any) -> tuple[int, Any]:
    if isinstance(k, (int, float)) and not isinstance(k, bool):
        return (1, k)
    return (2, str(k))


# ----------------------------------------------------------------------------- public


class CompiledTemplate:
    """A compiled template: immutable, thread-safe, render as often as you like."""

    __slots__ = ("_source", "_name", "_trees", "_fields")
    _source: str
    _name: str
    _trees: dict[str, Fn]
    _fields: tuple[FieldRef, ...]

    def __init__(self, source: str, name: str, trees: dict[str, Fn], fields: tuple[FieldRef, ...]) -> None:
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_trees", trees)
        object.__setattr__(self, "_fields", fields)

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("CompiledTemplate is immutable")

    @property
    def source(self) -> str:
        return self._source

    @property
    def name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"CompiledTemplate(name={self._name!r}, {len(self._source)} chars)"

    def fields(self) -> list[FieldRef]:
        """Field chains read from the top-level data: ``.X.Y`` where dot is still the data,
        ``$.X`` anywhere, and the same inside a ``template``/``block`` given the data as dot.
        Fields of a dot rebound by ``range``/``with`` are not listed."""
        return list(self._fields)

    def render(self, data: Mapping[str, Any] | None, *, missingkey: str = "default", hook: Hook | None = None) -> str:
        """Execute with ``data`` as dot.

        ``missingkey`` is Go's option: ``default`` (or ``invalid``) makes a missing map key
        print ``<no value>``; ``error`` raises :class:`TemplateExecError`; ``zero`` makes a
        missing key, and any field chain through one, the empty string (hdkit's reading:
        Go itself would still print ``<no value>`` for ``map[string]any`` data).
        ``hook(action_start, text, out_pos)`` is called for each value a ``{{pipeline}}``
        action prints, with the action's ``ActionSpan.start``, the text Go would print and
        the output length so far; its return value is written instead.
        """
        mode = _MISSINGKEY.get(missingkey)
        if mode is None:
            raise ValueError(f"missingkey must be one of {sorted(_MISSINGKEY)}, not {missingkey!r}")
        st = _State(self._source, self._name, mode, hook)
        st.vars.append(["$", data])
        try:
            if len(self._trees) > 1:  # {{define}}/{{block}}: templates may call each other deeply
                with _HEADROOM:
                    self._trees[self._name](st, data)
            else:
                self._trees[self._name](st, data)
        except (_Break, _Continue):  # pragma: no cover - the parser confines them to range
            pass
        except RecursionError:
            raise TemplateExecError(
                f'executing "{self._name}": nesting too deep to render (recursive template or data)',
                Location(source=self._name),
            ) from None
        return rejoin("".join(st.out))  # halves of a character Go printed side by side


def _syntax_error(source: str, name: str, err: ParseError, functions: Iterable[str]) -> TemplateSyntaxError:
    line, column = line_col(source, min(err.pos, len(source)))
    hint = None
    if err.function:
        close = difflib.get_close_matches(err.function, list(functions), n=1, cutoff=0.6)
        close += [f for f in functions if f.lower() == err.function.lower()]
        hint = f"did you mean {close[-1]}?" if close else None
        hint = (hint + " " if hint else "") + "Yeastar adds TimeFormat, ToMillis, Capitalize and UrlEncode to Go's built-ins"
    if err.char_constant:
        span = next((s for s in action_spans(source) if s.start <= err.pos < s.end), None)
        fixed = fix_quotes(source[span.start : span.end]) if span else None
        hint = "single quotes make a one-character constant in Go; write strings in double quotes"
        if fixed:
            hint += f": {fixed}"
    return TemplateSyntaxError(
        err.message,
        Location(line=line, column=column, source=name),
        hint=hint,
        snippet=caret_snippet(source, line, column),
    )


def compile_template(source: str, name: str = "template", *, funcs: Mapping[str, Callable[..., Any]] | None = None) -> CompiledTemplate:
    """Parse and compile ``source``; raises :class:`TemplateSyntaxError` where Go's Parse fails."""
    if not isinstance(source, str):
        raise TypeError(f"template source must be str, not {type(source).__name__}")
    table: dict[str, Signature] = dict(BUILTINS)
    for fname, fn in (funcs or {}).items():
        if not fname.isidentifier():
            raise TemplateError(f"function name {fname!r} is not a valid identifier")
        if not callable(fn):
            raise TemplateError(f"function {fname!r} is not callable")
        table[fname] = signature_of(fn)
    try:
        trees = parse(source, name, table.__contains__)
    except ParseError as err:
        raise _syntax_error(source, name, err, table) from None
    compiled: dict[str, Fn] = {}
    compiler = _Compiler(table, compiled)
    for tname, root in trees.items():
        compiled[tname] = compiler.list(root)
    return CompiledTemplate(source, name, compiled, tuple(collect_fields(trees, name, source)))


@lru_cache(maxsize=256)
def _compiled_for_render(source: str) -> CompiledTemplate:
    return compile_template(source, "t")


def render(source: str, data: Mapping[str, Any]) -> str:
    """Compile (cached: templates are immutable) and render in one go, with Go's template name
    ``t`` like the oracle; the oracle harness entry point."""
    return _compiled_for_render(source).render(data)
