// Placeholder so the test target builds until the generator's tests land; their author may delete it.
