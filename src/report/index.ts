/**
 * Report: pure functions from trace data to SVG, HTML and text. No DOM, no
 * Node APIs: runs in Node, browsers and Workers.
 *
 * @example
 * import * as Report from './index'
 * Report.textTable(['a', 'b'], [[1, 2]]) // 'a  b\n-  -\n1  2'
 *
 * @since 0.1.0
 */
export * from './charts'
export * from './html'
export * from './traceViews'
export { escapeXml } from './svg'
export { okabeIto, sameColour, viridis } from './palette'
