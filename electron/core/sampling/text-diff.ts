/** The line diff lives in shared/ (the dialog's "Show changes" uses the same one as the history). */
export { lineDiff } from '../../../shared/text-diff.js';
