"""Placeholder: filled in below."""
def ledger_section(results):
    raise NotImplementedError


def write_ledger_outputs(results, out_dir):
    raise NotImplementedError
