#include "config.h"
#include "gloss-test-util.h"
int main (int argc, char **argv) { gloss_test_init (&argc, &argv); return g_test_run (); }
