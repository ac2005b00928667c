"""Objects, association types and properties: what HubSpot accepts, bundled or from a snapshot."""
