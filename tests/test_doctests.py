"""Run every docstring example of the installed package (the README promises they run)."""

import doctest
import importlib
import pkgutil

import pytest

import nqpf

MODULES = sorted(m.name for m in pkgutil.walk_packages(nqpf.__path__, "nqpf."))


@pytest.mark.parametrize("name", ["nqpf", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
