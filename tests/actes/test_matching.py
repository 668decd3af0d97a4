"""An answer about an act goes to the act of that SIREN and number (spec §5.3), one by one or for a
whole batch, and the error says whether the authority or the act is unknown."""

import pytest

from bouquet.actes import matching
from bouquet.actes.errors import InboundError
from tests.actes.services.helpers import ActesTestCase


class MatchingTestCase(ActesTestCase):
    def test_a_batch_finds_each_act_by_siren_and_number_as_one_by_one(self):
        mine = self.create(number="2025_D001")
        theirs = self.create(self.authority_b, number="2025_D001")
        siren_a, siren_b = self.authority_a.siren, self.authority_b.siren

        self.assertEqual(matching.match_act(siren_a, "2025_D001"), mine)
        found = matching.find_acts([(siren_a, "2025_D001"), (siren_b, "2025_D001"), (siren_a, "absent")])
        self.assertEqual(found, {(siren_a, "2025_D001"): mine, (siren_b, "2025_D001"): theirs})
        self.assertEqual(
            matching.find_acts([(siren_b, "absent"), (siren_a, "2025_D001")]), {(siren_a, "2025_D001"): mine}
        )

    def test_the_error_says_which_of_the_authority_or_the_act_is_missing(self):
        with pytest.raises(InboundError, match="Aucune transaction trouvée pour l'acte n° 2025_X"):
            matching.match_act(self.authority_a.siren, "2025_X")
        with pytest.raises(InboundError, match="Aucune collectivité de SIREN 999999999"):
            matching.match_act("999999999", "2025_X")
