"""The public catalogue: clusters, houses, venues, halls, productions, performances, tariffs."""
