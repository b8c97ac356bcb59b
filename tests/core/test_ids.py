import uuid

import pytest

from simulator.core.ids import Ids


def _draw(ids: Ids) -> list[str]:
    return [
        ids.uuid4(),
        ids.uuid1(1_700_000_000.123),
        ids.digits(9),
        ids.hex(8),
        ids.render("{faker.sentence}"),
        ids.fake("name"),
        str(ids.uniform()),
    ]


def test_same_seed_gives_same_ids_and_texts():
    assert _draw(Ids(42)) == _draw(Ids(42))


def test_different_seeds_give_different_ids():
    assert _draw(Ids(1)) != _draw(Ids(2))


def test_reseed_restarts_the_sequence():
    ids = Ids(7)
    first = _draw(ids)
    ids.reseed(7)
    assert _draw(ids) == first


def test_uuid_versions_are_right():
    ids = Ids(3)
    assert uuid.UUID(ids.uuid4()).version == 4
    stamped = uuid.UUID(ids.uuid1(1_700_000_000.0))
    assert stamped.version == 1
    assert (stamped.time - 0x01B21DD213814000) // 10_000_000 == 1_700_000_000


def test_digits_has_requested_length_and_no_leading_zero():
    value = Ids(5).digits(12)
    assert len(value) == 12 and value.isdigit() and value[0] != "0"


def test_unknown_faker_field_raises():
    with pytest.raises(ValueError, match="unknown Faker field"):
        Ids(1).render("{faker.no_such_thing}")


def test_faker_built_on_first_use_draws_as_one_seeded_up_front():
    from faker import Faker

    eager = Faker()
    eager.seed_instance(11)
    ids = Ids(11)
    ids.uuid4()  # draws from the id stream do not move the Faker stream
    assert [ids.fake("name"), ids.fake("name")] == [eager.name(), eager.name()]


def test_faker_built_on_first_use_follows_shared_draws():
    from faker import Faker

    counter = iter(range(1, 100))
    ids = Ids(3, draws=lambda: next(counter))
    ids.uuid4()  # draw 1
    eager = Faker()
    eager.seed_instance("3:2")
    assert ids.fake("name") == eager.name()  # draw 2, on a Faker built only now
