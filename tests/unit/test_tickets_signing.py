import base64
import string

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.tickets.signing import (
    ForgedTicket,
    SeededKeyring,
    TicketClaim,
    public_key_document,
    sign,
    sign_for_house,
    verify,
)

SECRET = b"test-secret-for-ticket-signing-0123456789"
KEYRING = SeededKeyring(SECRET)
CLAIM = TicketClaim(
    ticket_id="t-01931b2c4d5e6f708192a3b4c5d6e7f",
    performance="ntgent-de-storm-01",
    house="ntgent",
    seat="balkon-c-12",
)
TOKEN = sign_for_house(CLAIM, KEYRING)


def test_round_trip_gives_back_the_claim():
    assert verify(TOKEN, KEYRING.public_keys("ntgent")) == CLAIM


def test_general_admission_seat_round_trips():
    claim = TicketClaim(CLAIM.ticket_id, CLAIM.performance, "ntgent", "ga:staanplaatsen")
    assert verify(sign_for_house(claim, KEYRING), KEYRING.public_keys("ntgent")) == claim


def test_token_is_versioned_names_its_key_and_signs_deterministically():
    assert TOKEN.startswith("PD1.ntgent-k1.t-01931b2c4d5e6f708192a3b4c5d6e7f.")
    assert TOKEN.split(".")[2:6] == [CLAIM.ticket_id, "ntgent-de-storm-01", "ntgent", "balkon-c-12"]
    assert sign_for_house(CLAIM, KEYRING) == TOKEN  # Ed25519 is deterministic


def test_signature_covers_version_and_key_id():
    key_id, private_key = KEYRING.signing_key("ntgent")
    signed, _, signature = TOKEN.rpartition(".")
    private_key.public_key().verify(base64.urlsafe_b64decode(signature + "=="), signed.encode())
    assert signed.startswith(f"PD1.{key_id}.")


def test_typical_token_is_short_enough_for_a_comfortable_qr_code():
    assert len(TOKEN) < 200
    long_claim = TicketClaim(
        ticket_id=CLAIM.ticket_id,
        performance="festival-van-vlaanderen-gent-de-zilveren-rivier-01",
        house="festival-van-vlaanderen-gent",
        seat="ga:staanplaatsen",
    )
    # A long-named house at a long-named performance: still a QR version a phone reads easily.
    assert len(sign_for_house(long_claim, KEYRING)) < 300


def test_worst_case_token_stays_bounded():
    claim = TicketClaim(CLAIM.ticket_id, "p" * 63, "h" * 63, "s" * 63)
    assert len(sign_for_house(claim, KEYRING)) == 4 + 66 + 1 + 33 + 3 * 64 + 1 + 86


# Every single-character substitution must fail: the claim, the version and the key id are
# signed, and the signature's spare bits must be zero (canonical base64).
_ALPHABET = string.ascii_letters + string.digits + "-_.:|=+/ é"


@pytest.mark.parametrize("position", range(len(TOKEN)))
def test_every_changed_character_fails(position):
    keys = KEYRING.public_keys("ntgent")
    for replacement in _ALPHABET:
        if replacement == TOKEN[position]:
            continue
        changed = TOKEN[:position] + replacement + TOKEN[position + 1 :]
        with pytest.raises(ForgedTicket):
            verify(changed, keys)


def test_every_flipped_bit_fails():
    keys = KEYRING.public_keys("ntgent")
    raw = TOKEN.encode("ascii")
    for position in range(len(raw)):
        for bit in range(8):
            changed = bytearray(raw)
            changed[position] ^= 1 << bit
            with pytest.raises(ForgedTicket):
                verify(changed.decode("latin-1"), keys)


def test_spare_bits_of_the_signature_must_be_zero():
    # The last base64 character carries 2 signature bits and 4 spare ones; a decoder that
    # ignored them would accept 16 spellings of one signature.
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    twin = alphabet[alphabet.index(TOKEN[-1]) ^ 1]
    same_bytes = base64.urlsafe_b64decode(TOKEN[-86:-1] + twin + "==")
    assert same_bytes == base64.urlsafe_b64decode(TOKEN[-86:] + "==")
    with pytest.raises(ForgedTicket) as raised:
        verify(TOKEN[:-1] + twin, KEYRING.public_keys("ntgent"))
    assert raised.value.reason == ForgedTicket.MALFORMED


@settings(max_examples=300)
@given(st.data())
def test_truncated_or_extended_tokens_fail(data):
    keys = KEYRING.public_keys("ntgent")
    cut = data.draw(st.integers(min_value=0, max_value=len(TOKEN) - 1))
    with pytest.raises(ForgedTicket):
        verify(TOKEN[:cut], keys)
    suffix = data.draw(st.text(min_size=1, max_size=5))
    with pytest.raises(ForgedTicket):
        verify(TOKEN + suffix, keys)


@given(st.text(max_size=300))
def test_junk_fails_cleanly(junk):
    with pytest.raises(ForgedTicket):
        verify(junk, KEYRING.public_keys("ntgent"))


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("", ForgedTicket.MALFORMED),
        ("hello", ForgedTicket.MALFORMED),
        ("PD2" + TOKEN[3:], ForgedTicket.UNKNOWN_VERSION),
        ("pd1" + TOKEN[3:], ForgedTicket.UNKNOWN_VERSION),
        (TOKEN.replace("ntgent-k1", "ntgent-k9"), ForgedTicket.UNKNOWN_KEY),
        (TOKEN.replace("balkon-c-12", "balkon-c-13"), ForgedTicket.BAD_SIGNATURE),
        (TOKEN.replace(".balkon-c-12.", ".balkon.c-12."), ForgedTicket.MALFORMED),
        (TOKEN.replace("balkon-c-12", "balkon c 12"), ForgedTicket.MALFORMED),
        (TOKEN[:-1], ForgedTicket.MALFORMED),
        (TOKEN + "A" * 600, ForgedTicket.MALFORMED),
    ],
)
def test_reasons(token, reason):
    with pytest.raises(ForgedTicket) as raised:
        verify(token, KEYRING.public_keys("ntgent"))
    assert raised.value.reason == reason


def test_a_house_cannot_vouch_for_another_house():
    other = TicketClaim(CLAIM.ticket_id, "campo-zwerm-01", "campo", "ga:vrije-plaatsen")
    campo_token = sign_for_house(other, KEYRING)
    with pytest.raises(ForgedTicket) as raised:
        verify(campo_token, KEYRING.public_keys("ntgent"))
    assert raised.value.reason == ForgedTicket.UNKNOWN_KEY

    # Even relabelled with NTGent's key id, Campo's signature does not pass NTGent's key.
    relabelled = campo_token.replace("campo-k1", "ntgent-k1", 1)
    with pytest.raises(ForgedTicket) as raised:
        verify(relabelled, KEYRING.public_keys("ntgent"))
    assert raised.value.reason == ForgedTicket.BAD_SIGNATURE


def test_a_key_not_derived_from_the_secret_fails():
    impostor = sign(CLAIM, "ntgent-k1", Ed25519PrivateKey.generate())
    with pytest.raises(ForgedTicket) as raised:
        verify(impostor, KEYRING.public_keys("ntgent"))
    assert raised.value.reason == ForgedTicket.BAD_SIGNATURE


def test_another_secret_gives_other_keys():
    other = SeededKeyring(b"another-secret-for-ticket-signing-000000")
    with pytest.raises(ForgedTicket):
        verify(TOKEN, other.public_keys("ntgent"))


def test_keys_are_derived_deterministically():
    again = SeededKeyring(SECRET)
    assert verify(TOKEN, again.public_keys("ntgent")) == CLAIM
    assert public_key_document(again, "ntgent") == public_key_document(KEYRING, "ntgent")


def test_rotation_keeps_old_tickets_valid_and_signs_new_ones_with_the_new_key():
    rotated = SeededKeyring(SECRET, {"ntgent": 2})
    assert set(rotated.public_keys("ntgent")) == {"ntgent-k1", "ntgent-k2"}
    assert verify(TOKEN, rotated.public_keys("ntgent")) == CLAIM  # signed with k1

    new_token = sign_for_house(CLAIM, rotated)
    assert new_token.startswith("PD1.ntgent-k2.")
    assert verify(new_token, rotated.public_keys("ntgent")) == CLAIM
    # A scanner that has not fetched the new key yet says so, rather than "forged signature".
    with pytest.raises(ForgedTicket) as raised:
        verify(new_token, KEYRING.public_keys("ntgent"))
    assert raised.value.reason == ForgedTicket.UNKNOWN_KEY
    # Other houses are not rotated along.
    assert rotated.signing_key("campo")[0] == "campo-k1"


def test_public_key_document_shape():
    document = public_key_document(SeededKeyring(SECRET, {"ntgent": 3}), "ntgent")
    assert list(document) == ["keys"]
    assert [key["kid"] for key in document["keys"]] == ["ntgent-k1", "ntgent-k2", "ntgent-k3"]
    for key in document["keys"]:
        assert set(key) == {"kid", "alg", "public_key"}
        assert key["alg"] == "Ed25519"
        assert len(base64.urlsafe_b64decode(key["public_key"] + "=")) == 32
        assert "=" not in key["public_key"]
    assert len({key["public_key"] for key in document["keys"]}) == 3


def test_public_key_document_verifies_tokens():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    document = public_key_document(KEYRING, "ntgent")
    keys = {
        key["kid"]: Ed25519PublicKey.from_public_bytes(
            base64.urlsafe_b64decode(key["public_key"] + "=")
        )
        for key in document["keys"]
    }
    assert verify(TOKEN, keys) == CLAIM


@pytest.mark.parametrize(
    "claim",
    [
        TicketClaim("t-1", "perf.01", "ntgent", "a1"),
        TicketClaim("t-1", "perf", "ntgent", ""),
        TicketClaim("t-1", "perf", "ntgent", "rij 1"),
        TicketClaim("t-1", "perf", "ntgent", "x" * 101),
    ],
)
def test_sign_refuses_fields_that_would_not_parse(claim):
    key_id, private_key = KEYRING.signing_key("ntgent")
    with pytest.raises(ValueError):
        sign(claim, key_id, private_key)


def test_keyring_refuses_weak_secrets_and_bad_generations():
    with pytest.raises(ValueError):
        SeededKeyring(b"short")
    with pytest.raises(ValueError):
        SeededKeyring(SECRET, {"ntgent": 0})
    with pytest.raises(ValueError):
        KEYRING.signing_key("Not A House")
