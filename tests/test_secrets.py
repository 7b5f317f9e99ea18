"""Secret masking and the error tree's location formatting."""

import pickle

import pytest

from hdkit.errors import HdkitError, Location, TemplateSyntaxError, caret_snippet
from hdkit.secrets import MASK, Redactor, Secret, is_secret_name

SENTINEL = "s3cr3t-SENTINEL-value"


def test_secret_is_masked_everywhere():
    s = Secret(SENTINEL)
    assert SENTINEL not in repr(s)
    assert SENTINEL not in str(s)
    assert SENTINEL not in f"{s} {s!r} {s:>30}"
    assert SENTINEL not in repr([s, {"k": s}])
    assert s.reveal() == SENTINEL
    assert s == Secret(SENTINEL) and s != Secret("other")
    with pytest.raises(TypeError):
        pickle.dumps(s)


def test_redactor_masks_values_forms_and_names():
    r = Redactor([Secret(SENTINEL)])
    assert r.text(f"body {SENTINEL} end") == f"body {MASK} end"
    assert SENTINEL not in r.url(f"https://h/x?q=1&token=abc&other={SENTINEL}")
    assert "abc" not in r.url("https://h/x?q=1&api_key=abc")
    assert "q=1" in r.url("https://h/x?q=1&api_key=abc")
    assert r.url("https://user:pw@h/x").startswith(f"https://{MASK}@h")
    h = r.headers({"Authorization": "Bearer abcdef", "X-Api-Key": "k1234", "Accept": "application/json"})
    assert h == {"Authorization": f"Bearer {MASK}", "X-Api-Key": MASK, "Accept": "application/json"}
    assert is_secret_name("client_secret") and not is_secret_name("phone")


def test_error_carries_location_and_snippet():
    loc = Location("Contact search", "Match query URL", 1, 7)
    err = TemplateSyntaxError("unexpected", loc, snippet=caret_snippet("{{.A}} {{", 1, 8), hint="close it")
    text = str(err)
    assert "Contact search > Match query URL: line 1, column 7: unexpected" in text
    assert "       ^" in text and "hint: close it" in text
    assert isinstance(err, ValueError) and isinstance(err, HdkitError)
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == text
