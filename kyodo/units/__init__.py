"""Business units (業務), one Django app each. A unit never imports another unit: units talk
only through the linkage hub (enforced by the import contracts in ``.importlinter``)."""
