from golden import REGEN


def test_regen_flag_is_off() -> None:
    """Golden files are only rewritten on purpose, never in a normal run."""
    assert not REGEN
