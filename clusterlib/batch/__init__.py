"""Batch execution of the notebooks per region: parameters, runner, reports."""
