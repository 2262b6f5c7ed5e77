"""nqpf — an offline observatory for China's new quality productive forces (新质生产力).

>>> import nqpf
>>> nqpf.resolve("Shaanxi").name
'陕西省'
"""

from nqpf.data import load_panel, read_panel, write_panel
from nqpf.regions import PROVINCES, Province, UnknownRegionError, resolve

__version__ = "0.1.0"

__all__ = [
    "PROVINCES",
    "Province",
    "UnknownRegionError",
    "__version__",
    "load_panel",
    "read_panel",
    "resolve",
    "write_panel",
]
