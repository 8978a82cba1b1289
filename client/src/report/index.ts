export { showReportPanel } from './reportPanel';
