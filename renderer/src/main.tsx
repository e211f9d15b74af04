import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { App } from './components/App';
import { getApi } from './api';
import { startSluice } from './state';
import { startTheme } from './lib/theme';
import './styles.css';

// Zod's JIT probes `new Function`, which the CSP forbids (and reports): validate without it.
z.config({ jitless: true });

startTheme();
startSluice(getApi());

const root = document.getElementById('root');
if (!root) throw new Error('Sluice: #root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
