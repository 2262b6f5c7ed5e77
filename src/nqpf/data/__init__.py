"""The embedded provincial panel, its dictionary, and readers/writers for the user's data."""

from nqpf.data.dictionary import Dictionary, load_dictionary
from nqpf.data.io import PanelReadError, read_panel, write_panel
from nqpf.data.panel import PanelArray, coverage, dataset_hash, load_panel, to_array

__all__ = [
    "Dictionary",
    "PanelArray",
    "PanelReadError",
    "coverage",
    "dataset_hash",
    "load_dictionary",
    "load_panel",
    "read_panel",
    "to_array",
    "write_panel",
]
