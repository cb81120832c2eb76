"""What the newsroom uses: the admin, its forms, revision diffs and preview links."""
