"""clusterlib."""
