// The rule lives in core/ (the daemon's history files use it too); engine code imports it from here.
export { containerFileName } from '../../core/container-file-name.js';
