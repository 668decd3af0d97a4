"""A small, strict reader of iCalendar files (RFC 5545) for the tests: it parses our .ics back."""

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

__all__ = ["Component", "parse", "unescape"]

_NAME = re.compile(r"^[A-Za-z0-9-]+$")


@dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list["Component"] = field(default_factory=list)

    def get(self, name: str) -> tuple[dict[str, str], str]:
        (found,) = [(params, value) for n, params, value in self.properties if n == name]
        return found

    def value(self, name: str) -> str:
        return self.get(name)[1]

    def child(self, name: str) -> "Component":
        (found,) = [c for c in self.children if c.name == name]
        return found

    def local_time(self, name: str) -> dt.datetime:
        params, value = self.get(name)
        return dt.datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(params["TZID"]))


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char != "\\":
            assert char not in ";,", f"unescaped {char!r} in TEXT value {value!r}"
            out.append(char)
            continue
        following = next(chars)
        assert following in "\\;,nN", f"bad escape \\{following}"
        out.append("\n" if following in "nN" else following)
    return "".join(out)


def _split(line: str) -> tuple[str, dict[str, str], str]:
    # The value starts at the first ":" outside a quoted parameter value.
    quoted, cut = False, None
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            cut = i
            break
    assert cut is not None, f"no value in {line!r}"
    head, value = line[:cut], line[cut + 1 :]
    name, *raw_params = head.split(";")
    assert _NAME.match(name), f"bad property name {name!r}"
    params = {}
    for raw in raw_params:
        key, _, param_value = raw.partition("=")
        params[key] = param_value.strip('"')
    return name.upper(), params, value


def parse(data: bytes) -> Component:
    """The VCALENDAR; asserts CRLF line ends, 75-octet lines and balanced BEGIN/END."""
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert b"\n" not in line and b"\r" not in line, f"bare line break in {line!r}"
        assert len(line) <= 75, f"line of {len(line)} octets: {line!r}"
    text = b"\r\n".join(physical).decode("utf-8")  # fails if a fold cut a UTF-8 character
    logical = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
    stack: list[Component] = []
    root = None
    for line in logical:
        name, params, value = _split(line)
        if name == "BEGIN":
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            stack.append(component)
        elif name == "END":
            component = stack.pop()
            assert component.name == value, f"END:{value} closes {component.name}"
            root = component if not stack else root
        else:
            stack[-1].properties.append((name, params, value))
    assert not stack and root is not None and root.name == "VCALENDAR"
    return root
