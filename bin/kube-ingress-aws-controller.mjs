#!/usr/bin/env node
// The installed command runs the compiled controller (npm run build produces dist/).
import '../dist/main.js';
