"""Simulated DGFiP Hélios gateway (FTP/FTPS) that answers PES_Aller files with PES_ACQUIT, for tests.

A separate process importing only the stdlib, pyftpdlib and :mod:`bouquet.helios.pes` (never Django):
``python -m bouquet.simulators.dgfip --root DIR``. See :mod:`.cli` for the options, :mod:`.faults` for
the fault modes and :mod:`.analysis` for what is checked.
"""

from .analysis import Verdict, analyse
from .cli import main, write_retour
from .documents import AckItem, Identity, acquit_name, acquit_xml, retour_name, retour_xml
from .faults import Faults, load_faults
from .server import Config, Simulator
from .state import State

__all__ = [
    "AckItem",
    "Config",
    "Faults",
    "Identity",
    "Simulator",
    "State",
    "Verdict",
    "acquit_name",
    "acquit_xml",
    "analyse",
    "load_faults",
    "main",
    "retour_name",
    "retour_xml",
    "write_retour",
]
