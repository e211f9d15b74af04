/** Puts text on the clipboard (the Connect apps view's Copy buttons). */
export async function copyText(text: string): Promise<void> {
  await navigator.clipboard.writeText(text);
}
