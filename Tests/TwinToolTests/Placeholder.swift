// Placeholder so the test target builds until the CLI tests land; their authors may delete it.
