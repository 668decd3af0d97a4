"""The demo: awarded contracts above 40 000 € HT, published, one with a modification; idempotent."""

from bouquet.core import demo as core_demo
from bouquet.marches import demo as marches_demo
from bouquet.marches.bids import demo as bids_demo
from bouquet.marches.contracts import demo
from bouquet.marches.contracts.models import Contract, ContractModification, ImportedConsultation
from bouquet.marches.contracts.opendata import operator_dataset
from bouquet.marches.decp import validate_dataset
from bouquet.test import BaseTestCase


class DemoTestCase(BaseTestCase):
    def test_it_shows_the_whole_cycle_and_loads_idempotently(self):
        core_demo.load()
        marches_demo.load()
        bids_demo.load()
        lines = demo.load()
        demo.load()
        self.assertTrue(any("modification n° 1" in line for line in lines), lines)
        published = Contract.objects.published().filter(amount_ht__gt=40000)
        self.assertGreaterEqual(published.count(), 2)
        self.assertEqual(ContractModification.objects.exclude(published_on=None).count(), 1)
        self.assertEqual(Contract.objects.count(), published.count())
        self.assertEqual(ImportedConsultation.objects.count(), len(demo.HISTORY_ROWS))
        operator = published.first().authority.operator
        dataset = operator_dataset(operator)
        verdict = validate_dataset(dataset)
        self.assertEqual((verdict.json_findings, verdict.xml_findings), ((), ()))
        self.assertGreaterEqual(len(dataset.marches), 2)
