"""Clean scraped Chinese text: repairs with a change log and offset map, script conversion."""

from nqpf.text.edits import Change, Edit, Repaired
from nqpf.text.repair import FIXES, repair
from nqpf.text.script import Converted, detect_script, to_simplified

__all__ = ["FIXES", "Change", "Converted", "Edit", "Repaired", "detect_script", "repair",
           "to_simplified"]
