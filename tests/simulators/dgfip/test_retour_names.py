"""Two retours asked for at once never share a name (the platform applies each name once)."""

from bouquet.simulators.dgfip.cli import write_retour


def test_two_retours_in_the_same_second_get_two_names(tmp_path):
    first = write_retour(tmp_path, idcoll="21010001200011", codcol="221")
    second = write_retour(tmp_path, idcoll="99999999900011", codcol="221")
    assert first.name != second.name
    assert sorted(p.name for p in (tmp_path / "sortie").iterdir()) == sorted([first.name, second.name])
