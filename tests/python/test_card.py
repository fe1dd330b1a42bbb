"""mynasim.Card: the card core in-process, its state, faults, trace and errors."""
import pytest

import mynasim

SELECT_JPKI = "00A4040C0AD392F000260100000001"
SELECT_AUTH_PIN = "00A4020C020018"
SELECT_AUTH_CERT = "00A4020C02000A"


def verify(pin: str) -> bytes:
    return bytes.fromhex("00200080") + bytes([len(pin)]) + pin.encode()


def test_select_and_verify_the_right_pin(card):
    assert card.transmit(SELECT_JPKI).ok
    assert card.selected_application == "JPKI AP"
    assert card.transmit(SELECT_AUTH_PIN).sw == 0x9000
    assert card.transmit(verify("1234")).sw == 0x9000
    assert "auth" in card.verified_pins
    assert card.tries_left("auth") == 3


def test_wrong_pin_counts_down_and_locks(card):
    card.transmit(SELECT_JPKI)
    card.transmit(SELECT_AUTH_PIN)
    assert card.transmit(verify("9999")).sw == 0x63C2
    assert card.transmit(verify("9999")).sw == 0x63C1
    assert card.transmit(verify("9999")).sw == 0x63C0
    assert card.locked("auth")
    assert card.transmit(verify("1234")).sw == 0x6983  # blocked, even with the right PIN


@pytest.mark.mynasim_profile("pin-tries-left-1")
def test_marker_picks_the_profile(card):
    assert card.profile["name"] == "pin-tries-left-1"
    assert card.tries_left("auth") == 1


@pytest.mark.parametrize("card", ["valid", "auth-pin-locked"], indirect=True)
def test_indirect_parametrisation(card):
    assert card.tries_left("auth") == (3 if card.profile["name"] == "valid" else 0)


@pytest.mark.mynasim_profiles(tag="pin")
def test_every_pin_profile_loads(card, mynasim_profile):
    assert card.profile["name"] == mynasim_profile
    assert "pin" in card.profile["tags"]


def test_read_the_auth_certificate_without_pin(card_factory):
    card = card_factory("valid", seed=7)
    card.transmit(SELECT_JPKI)
    card.transmit(SELECT_AUTH_CERT)
    head = card.transmit("00B0000004")
    assert head.ok and head.data[0] == 0x30  # a DER SEQUENCE
    length = int.from_bytes(head.data[2:4], "big") + 4
    assert length > 500


def test_set_tries_and_the_status_word_it_gives(card):
    card.set_tries("auth", 1)
    card.transmit(SELECT_JPKI)
    card.transmit(SELECT_AUTH_PIN)
    assert card.transmit("00200080").sw == 0x63C1  # VERIFY without data asks the tries left


def test_response_unpacks(card):
    data, sw = card.transmit(SELECT_JPKI)
    assert (data, sw) == (b"", 0x9000)
    assert repr(card.transmit(SELECT_JPKI)) == "Response(sw=9000, data=-)"


def test_load_profile_without_a_card(repo):
    info = mynasim.load_profile("pin-tries-left-1")
    assert info["name"] == "pin-tries-left-1" and "pin" in info["tags"]
    assert info == mynasim.Card("pin-tries-left-1").profile
    with pytest.raises(mynasim.LoadError) as caught:
        mynasim.load_profile(repo / "tests/data/bad-profiles/duplicate-key.yaml")
    assert caught.value.file.endswith("duplicate-key.yaml") and caught.value.line >= 1


def test_profile_as_a_dict():
    card = mynasim.Card({"extends": "valid", "jpki": {"auth_pin_tries_left": 2}})
    assert card.tries_left("auth") == 2


def test_trace_is_decoded(card):
    card.transmit(SELECT_JPKI)
    card.transmit(SELECT_AUTH_PIN)
    card.transmit(verify("0000"))
    last = card.trace[-1]
    assert last.command == verify("0000")
    assert last.sw == 0x63C2
    assert "VERIFY" in last.command_text and "auth PIN" in last.command_text
    assert "2 tries left" in last.response_text
    assert "SELECT JPKI AP" in card.trace_text()
    card.clear_trace()
    assert card.trace == []


def test_forced_status_word(card):
    card.force_status("00A4", 0x6A82, times=1)
    assert card.transmit(SELECT_JPKI).sw == 0x6A82
    assert card.trace[-1].forced
    assert card.transmit(SELECT_JPKI).sw == 0x9000  # only once


def test_tear_after(card):
    card.tear_after(1)
    assert card.transmit(SELECT_JPKI).ok
    with pytest.raises(mynasim.CardError, match="torn"):
        card.transmit(SELECT_JPKI)
    assert card.torn


def test_mute_after_and_clear_faults(card):
    card.mute_after(0)
    with pytest.raises(mynasim.CardError, match="mute"):
        card.transmit(SELECT_JPKI)
    card.clear_faults()
    assert card.transmit(SELECT_JPKI).ok


def test_latency_is_felt(card):
    import time

    card.set_latency(150)
    started = time.monotonic()
    card.transmit(SELECT_JPKI)
    assert time.monotonic() - started >= 0.14
    assert card.trace[-1].delay_ms == 150


def test_power_off_and_reset(card):
    card.transmit(SELECT_JPKI)
    card.reset()
    assert card.selected_application is None
    card.power_off()
    assert not card.powered
    with pytest.raises(mynasim.CardError):
        card.transmit(SELECT_JPKI)
    card.power_on()
    assert card.transmit(SELECT_JPKI).ok


# Bad input: clear errors, nothing crashes.

def test_bad_apdu_hex(card):
    with pytest.raises(mynasim.CardError, match="not hex"):
        card.transmit("00A4ZZ")


def test_apdu_of_a_wrong_type(card):
    with pytest.raises(mynasim.CardError, match="bytes or a hex string"):
        card.transmit(1234)


def test_short_apdu_gets_a_status_word(card):
    assert card.transmit("00").sw == 0x6700


def test_unknown_instruction(card):
    assert card.transmit("00FF000000").sw == 0x6D00


def test_unknown_pin(card):
    with pytest.raises(mynasim.CardError, match="no PIN 'nope'.*auth"):
        card.tries_left("nope")
    with pytest.raises(mynasim.CardError, match="0..15"):
        card.set_tries("auth", 99)


def test_unknown_profile_name():
    with pytest.raises(mynasim.LoadError, match="no card profile named 'no-such-card'"):
        mynasim.Card("no-such-card")


def test_broken_profile_file_names_file_line_col(repo):
    broken = sorted((repo / "tests/data/bad-profiles").glob("*.yaml"))
    assert broken
    for file in broken:
        with pytest.raises(mynasim.LoadError) as caught:
            mynasim.Card(file)
        assert caught.value.file.endswith(".yaml"), str(caught.value)
        assert caught.value.line >= 1 and caught.value.column >= 1
        assert str(caught.value).startswith(f"{caught.value.file}:{caught.value.line}:{caught.value.column}: ")


def test_broken_dict_profile_points_into_the_dict():
    with pytest.raises(mynasim.LoadError) as caught:
        mynasim.Card({"extends": "valid", "jpki": {"auth_pin_tries_left": "three"}})
    assert caught.value.file == "<dict>"
    assert caught.value.line == 4
    assert "decimal integer" in caught.value.reason


def test_unknown_key_in_dict_profile():
    with pytest.raises(mynasim.LoadError, match="unknown"):
        mynasim.Card({"extends": "valid", "no_such_key": 1})


def test_help_is_useful():
    doc = mynasim.Card.__doc__
    assert "profile" in doc and "transmit" in doc
    assert "status word" in mynasim.Card.transmit.__doc__
