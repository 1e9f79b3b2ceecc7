const assert = require('assert');
suite('tmp', () => { test('deliberately failing', () => assert.strictEqual(1, 2)); });
