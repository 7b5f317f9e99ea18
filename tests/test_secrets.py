"""Secret masking and the error tree's location formatting."""

import pickle

import pytest

from hdkit.errors import HdkitError, Location, TemplateSyntaxError, caret_snippet
from hdkit.secrets import MASK, Redactor, Secret, is_secret_name
from support.leaks import spellings

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
    assert is_secret_name("jwt") and is_secret_name("X-JWT-Assertion")  # a login follow-up's $.data.jwt


def test_error_carries_location_and_snippet():
    loc = Location("Contact search", "Match query URL", 1, 7)
    err = TemplateSyntaxError("unexpected", loc, snippet=caret_snippet("{{.A}} {{", 1, 8), hint="close it")
    text = str(err)
    assert "Contact search > Match query URL: line 1, column 7: unexpected" in text
    assert "       ^" in text and "hint: close it" in text
    assert isinstance(err, ValueError) and isinstance(err, HdkitError)
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == text


# -- issue 12, item 6: a secret is found in every spelling it travels in ---------------------------

HOSTILE = 'Zq7"ak\\ e+y%41&=W/v'  # quote, backslash, space, plus, percent, ampersand, equals, slash


@pytest.mark.parametrize(("style", "spelled"),  # Basic credentials at all three Base64 alignments
                         list(spellings(HOSTILE, basic_users=("user", "abc", "ab")).items()))
def test_a_secret_with_quotes_backslashes_and_spaces_is_masked_in_every_spelling(style: str, spelled: str):
    r = Redactor([Secret(HOSTILE)])
    text = f"<before>{spelled}<after>"
    out = r.text(text)
    assert spelled not in out and out.startswith("<before>") and out.endswith("<after>")
    assert MASK in out


def test_spellings_mixed_in_one_text_and_unrelated_text_kept():
    r = Redactor([HOSTILE, "second-secret-value"])
    spelled = spellings(HOSTILE)
    text = " | ".join([spelled["httpx-url"], "ordinary text", spelled["json"], "second-secret-value"])
    out = r.text(text)
    assert out == f"{MASK} | ordinary text | {MASK} | {MASK}"
    assert r.text("nothing to see") == "nothing to see"


def test_scrub_masks_urls_and_httpcore_header_pairs_without_known_secrets():
    r = Redactor()
    line = ("receive_response_headers.complete return_value=(b'HTTP/1.1', 200, b'OK', "
            "[(b'content-type', b'application/json'), (b'set-cookie', b'session=abc123')]) "
            "GET https://desk.test/api?api_key=k-1234&page=2")
    out = r.scrub(line)
    assert "abc123" not in out and "k-1234" not in out
    assert "(b'content-type', b'application/json')" in out and "page=2" in out


def test_exception_scrubs_message_hint_and_the_cause_chain():
    r = Redactor([HOSTILE])
    try:
        try:
            raise ValueError(f"bad value {spellings(HOSTILE)['json']}")
        except ValueError as cause:
            raise TemplateSyntaxError(f"cannot use {HOSTILE}", Location("Auth", "Credential"),
                                      hint=f"not {HOSTILE}") from cause
    except TemplateSyntaxError as exc:
        r.exception(exc)
        import traceback

        shown = "".join(traceback.format_exception(exc))
    assert HOSTILE not in shown and spellings(HOSTILE)["json"] not in shown
    assert "Auth > Credential: cannot use ********" in shown
