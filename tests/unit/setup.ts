// Real IndexedDB semantics for storage tests.
import 'fake-indexeddb/auto';
