import { createRoot } from 'react-dom/client';
import '@stockroom/panels-core/styles.css';
import './styles.css';
import { App } from './App.tsx';
import { Controller } from './controller.ts';

const controller = new Controller();
createRoot(document.getElementById('root')!).render(<App controller={controller} />);
void controller.start();
