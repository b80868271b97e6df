// Placeholder so the target builds until the generator lands; the generator's author may delete it.
enum TwinSamplesModule {}
