import { EventLoad } from './event-load';

// A test that fails half-way skips its own `load.stop()`, and a load still sending would keep this jest process
// (which runs the files in band) from ever exiting: whatever load a test left running is abandoned after it.
afterEach(() => EventLoad.abandonAll());
