// The demo page's script: the library (registers <ink-auth-provider>) and the demo chat element.
import '../src/index.js';
import './ink-demo-chat.js';
