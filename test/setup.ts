// Tests run the core on the Node runtime, as the package's Node entry does.
import '../src/node/runtime.js';
