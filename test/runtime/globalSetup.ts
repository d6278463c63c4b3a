/**
 * Runs once before the test files: resolves the Chromium the browser tests
 * launch (test/runtime/helpers.ts), so that when it is the npm-shipped one its
 * binary is unpacked to /tmp by one process, not by three test files at once.
 */
import { chromiumExecutable } from './helpers'

export default async (): Promise<void> => {
  await chromiumExecutable()
}
